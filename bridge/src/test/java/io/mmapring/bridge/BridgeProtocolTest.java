package io.mmapring.bridge;

import io.mmapring.People;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeProtocolTest {
    @Test
    void batchFitsOneUnfragmentedMessageAtTheDefaultMtu() {
        // Aeron's default mtu 1408 less its 32-byte data header: 1376 bytes of payload
        assertEquals(10, BridgeProtocol.recordsPerMessage(1376));
        assertTrue(BridgeProtocol.dataLength(10) <= 1376);
        assertTrue(BridgeProtocol.dataLength(11) > 1376);
    }

    @Test
    void recordsFollowAnEightByteAlignedHeaderInTheCLayout() {
        assertEquals(People.SIZE, BridgeProtocol.RECORD_SIZE);
        assertEquals(16, BridgeProtocol.DATA_RECORDS_OFFSET);
        assertEquals(0, BridgeProtocol.DATA_POSITION_OFFSET % 8);
        assertEquals(0, BridgeProtocol.DATA_SENDER_HEAD_OFFSET % 8);
        assertEquals(0, BridgeProtocol.CONTROL_POSITION_OFFSET % 8);
        assertEquals(16 + 3 * 132, BridgeProtocol.dataLength(3));
    }

    @Test
    void payloadTooSmallForOneRecordIsAClearError() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BridgeProtocol.recordsPerMessage(100));
        assertTrue(e.getMessage().contains("max payload length 100"), e.getMessage());
    }
}
