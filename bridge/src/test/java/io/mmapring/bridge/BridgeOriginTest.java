package io.mmapring.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeOriginTest {
    @TempDir
    Path dir;

    @Test
    void originFileSitsBesideTheRing() {
        assertEquals(dir.resolve("people.bridge-origin"), BridgeOrigin.beside(dir.resolve("people")));
    }

    @Test
    void missingFileMeansOriginNotKnownYet() throws IOException {
        assertTrue(BridgeOrigin.read(dir.resolve("absent")).isEmpty());
    }

    @Test
    void writtenOriginReadsBackAndLeavesNoTemporaryFile() throws IOException {
        final Path file = dir.resolve("ring.bridge-origin");
        BridgeOrigin.write(file, 123_456_789_012L);
        assertEquals(OptionalLong.of(123_456_789_012L), BridgeOrigin.read(file));
        BridgeOrigin.write(file, 7);
        assertEquals(OptionalLong.of(7), BridgeOrigin.read(file));
        assertFalse(Files.exists(dir.resolve("ring.bridge-origin.tmp")));
    }

    @Test
    void malformedFilesAreRejectedNamingTheFileAndTheField() throws IOException {
        final Path file = dir.resolve("bad.bridge-origin");
        Files.writeString(file, "something else entirely");
        assertMessage(file, "not an origin file");
        Files.writeString(file, "mmapring-bridge-origin 9 10");
        assertMessage(file, "version 9");
        Files.writeString(file, "mmapring-bridge-origin 1 ten");
        assertMessage(file, "origin 'ten' is not an integer");
        Files.writeString(file, "mmapring-bridge-origin 1 -5");
        assertMessage(file, "origin -5 is negative");
    }

    private static void assertMessage(Path file, String part) {
        final IOException e = assertThrows(IOException.class, () -> BridgeOrigin.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(part), e.getMessage());
    }
}
