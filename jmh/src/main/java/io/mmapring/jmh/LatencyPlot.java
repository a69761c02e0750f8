package io.mmapring.jmh;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws round-trip latency percentile distributions (HdrHistogram) with JFreeChart, the way
 * HdrHistogram's own plotter lays them out: the horizontal axis is {@code 1 / (1 - percentile)} on a
 * log scale, labelled as percentiles (0%, 90%, 99%, 99.9%, ...), so each decade of tail gets the same
 * width. The vertical axis is the latency in microseconds, also logarithmic, so that the ring
 * (hundreds of nanoseconds) and a Unix socket (tens of microseconds) fit on one chart.
 */
final class LatencyPlot {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 650;
    /** Points per halving of the remaining tail, as HdrHistogram's percentile output uses by default. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private LatencyPlot() {
    }

    /** Writes a PNG of the percentile distribution of each histogram (nanoseconds), one line per candidate. */
    static void write(Path png, String title, Map<Candidate, Histogram> histograms) throws IOException {
        final XYSeriesCollection dataset = new XYSeriesCollection();
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        double widest = 10;
        for (Map.Entry<Candidate, Histogram> entry : histograms.entrySet()) {
            final Histogram histogram = entry.getValue();
            final String label = String.format(Locale.ROOT, "%s (p50 %d ns, p99 %d ns, p99.9 %.1f us, %,d round trips)",
                entry.getKey().description, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9) / 1000.0, histogram.getTotalCount());
            final XYSeries series = new XYSeries(label, false, true);
            for (HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
                final double percentile = value.getPercentileLevelIteratedTo();
                if (percentile >= 100.0) {
                    break; // 1 / (1 - 1) is infinite: the maximum is drawn at the last finite level
                }
                final double x = 1.0 / (1.0 - percentile / 100.0);
                final double micros = value.getValueIteratedTo() / 1000.0;
                series.add(x, micros);
                lowest = Math.min(lowest, micros);
                highest = Math.max(highest, micros);
                widest = Math.max(widest, x);
            }
            dataset.addSeries(series);
        }

        final LogAxis percentileAxis = new LogAxis("percentile");
        percentileAxis.setBase(10);
        percentileAxis.setTickUnit(new NumberTickUnit(1.0)); // one tick per decade of 1/(1-p): 0%, 90%, 99%, ...
        percentileAxis.setNumberFormatOverride(new PercentileFormat());
        percentileAxis.setRange(1.0, Math.pow(10, Math.ceil(Math.log10(widest))));
        percentileAxis.setMinorTickMarksVisible(false);

        final LogAxis latencyAxis = new LogAxis("round-trip latency (microseconds, log scale)");
        latencyAxis.setBase(10);
        latencyAxis.setSmallestValue(0.01);
        latencyAxis.setRange(Math.pow(10, Math.floor(Math.log10(lowest))), Math.pow(10, Math.ceil(Math.log10(highest))));
        latencyAxis.setTickUnit(new NumberTickUnit(1.0));
        latencyAxis.setNumberFormatOverride(NumberFormat.getNumberInstance(Locale.ROOT));

        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        final Color[] colors = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};
        for (int i = 0; i < dataset.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, colors[i % colors.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        final XYPlot plot = new XYPlot(dataset, percentileAxis, latencyAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        final JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle("HdrHistogram percentile distribution of every round trip measured, all rounds merged "
            + "(rounds in the near placement give more round trips per second, so they weigh more)"));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** Labels the axis value {@code v = 1 / (1 - p)} with its percentile {@code p}: 1 is 0%, 10 is 90%, 1000 is 99.9%. */
    private static final class PercentileFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double value, StringBuffer target, FieldPosition position) {
            final double percentile = 100.0 * (1.0 - 1.0 / value);
            final BigDecimal rounded = BigDecimal.valueOf(percentile).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
            return target.append(rounded.signum() == 0 ? "0" : rounded.toPlainString()).append('%');
        }

        @Override
        public StringBuffer format(long value, StringBuffer target, FieldPosition position) {
            return format((double) value, target, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            return null; // labels only
        }
    }
}
