package io.mmapring.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The alternating runner: measures a list of {@link Candidate}s in alternation for N rounds (each round
 * runs every candidate back to back), and prints every round's figures, the same-round ratio of each
 * candidate to its references (Agrona and the C floor; for prototypes also the library's ring), and
 * the median and range of those ratios over the rounds, for all rounds and for near and far placements
 * separately.
 *
 * <p>Java candidates are JMH trials of {@link CrossProcessThroughput} and {@link RoundTrip} run through
 * JMH's own runner with short settings; their figures are read back from JMH's JSON result files
 * (throughput: the median of the measurement iterations; round trip: JMH's sample-mode percentiles).
 * C candidates are the programs of {@code jmh/c/} (the same statistics: median of equal intervals,
 * percentiles of every round trip).
 *
 * <p>Placement: this machine's two vCPUs sit sometimes close together (a C ping-pong median of about
 * 170 ns) and sometimes far apart (about 560 ns), and that moves every absolute figure by 3-5x. Before
 * every candidate, and once at the end of the round, a short C ping-pong probe measures the round trip
 * median; a candidate is "near" or "far" when the probes before and after it agree, "flip" when they
 * do not, "busy" when either shows the two spinning processes sharing a vCPU with other load, or when
 * other tasks waited for a CPU during more than a set share of the trial (Linux PSI, /proc/pressure/cpu:
 * the two spinning processes take both vCPUs, so any other runnable task competes with them).
 * A ratio is filed under a placement only when both of its candidates ran in it.
 */
public final class Alternate {
    private static final String FULL_WIDTH = "-".repeat(110);
    private static final long PROBE_TIMEOUT_SECONDS = 10;

    private final int rounds;
    private final List<Candidate> candidates;
    private final int warmup;
    private final int measure;
    private final Path cDirectory;
    private Path out;
    private final Path plot;
    private final double nearBelowNanos;
    private final double busyAboveNanos;
    private final double busyStall;
    private final long waitIdleSeconds;
    private final double idleBelow;
    /** Share of the wall time of each figure's trial ("round/candidate") in which some task waited for a CPU (PSI). */
    private final Map<String, Double> stalls = new LinkedHashMap<>();

    private PrintStream report;
    /** The C program running now, if any: destroyed by a shutdown hook if the runner is stopped. */
    private static volatile Process running;
    private final Map<Candidate, List<Histogram>> histograms = new EnumMap<>(Candidate.class);

    private Alternate(int rounds, List<Candidate> candidates, int warmup, int measure, Path cDirectory, Path out, Path plot,
                      double nearBelowNanos, double busyAboveNanos, double busyStall, long waitIdleSeconds, double idleBelow) {
        this.rounds = rounds;
        this.candidates = candidates;
        this.warmup = warmup;
        this.measure = measure;
        this.cDirectory = cDirectory;
        this.out = out;
        this.plot = plot;
        this.nearBelowNanos = nearBelowNanos;
        this.busyAboveNanos = busyAboveNanos;
        this.busyStall = busyStall;
        this.waitIdleSeconds = waitIdleSeconds;
        this.idleBelow = idleBelow;
    }

    /** The command line (picocli, declared programmatically: no annotation processor besides JMH's). */
    private static CommandSpec commandSpec() {
        final CommandSpec spec = CommandSpec.create().name("alternate").mixinStandardHelpOptions(true);
        spec.usageMessage().description("Runs candidates in alternation for N rounds (each round every candidate back to back) "
            + "and prints every round's figures, same-round ratios to the references, and their median and range.");
        spec.addOption(OptionSpec.builder("--rounds").paramLabel("N").type(int.class).defaultValue("5")
            .description("rounds (default ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder("--candidates").paramLabel("ID").type(List.class).auxiliaryTypes(String.class).splitRegex(",")
            .description("candidates to run, in this order, comma-separated (default: every non-prototype one; see --list)").build());
        spec.addOption(OptionSpec.builder("--quick").arity("0")
            .description("short settings (1 warm-up and 2 measurement iterations) and the core candidates only (~3 min for 3 rounds)").build());
        spec.addOption(OptionSpec.builder("--warmup-iterations").paramLabel("N").type(Integer.class)
            .description("JMH warm-up iterations of 1 s (default 2; --quick 1)").build());
        spec.addOption(OptionSpec.builder("--iterations").paramLabel("N").type(Integer.class)
            .description("JMH measurement iterations of 1 s, and C intervals of 1 s (default 5; --quick 2)").build());
        spec.addOption(OptionSpec.builder("--c-dir").paramLabel("DIR").type(Path.class).defaultValue("jmh/target/c")
            .description("where the C floor programs are (built by jmh/c/build.sh; default ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder("--out").paramLabel("DIR").type(Path.class)
            .description("where JMH's JSON and logs, the histograms and report.txt go (default jmh/target/alternate/<time>)").build());
        spec.addOption(OptionSpec.builder("--plot").paramLabel("PNG").type(Path.class)
            .description("record every round trip of the ring, Agrona and UDS in HdrHistograms and draw their percentile plot here").build());
        spec.addOption(OptionSpec.builder("--near-below").paramLabel("NS").type(double.class).defaultValue("350")
            .description("a placement probe (C ping-pong p50) below this many ns is near, else far (default ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder("--busy-above").paramLabel("NS").type(double.class).defaultValue("2000")
            .description("a probe p50 above this many ns means the two spinning processes shared a vCPU (other load): busy "
                + "(default ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder("--busy-stall").paramLabel("PERCENT").type(double.class).defaultValue("25")
            .description("a trial during which some task waited for a CPU (Linux PSI, /proc/pressure/cpu) more than this share "
                + "of the time is busy: other load competed with the two spinning processes (default ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder("--wait-idle").paramLabel("SECONDS").type(long.class).defaultValue("0")
            .description("before each candidate, wait up to this long until other processes use less than --idle-below of "
                + "the CPUs (measured over 1 s from /proc/stat); 0: do not wait (default ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder("--idle-below").paramLabel("PERCENT").type(double.class).defaultValue("15")
            .description("CPU use of everything else, in percent of all CPUs, that counts as idle for --wait-idle "
                + "(default ${DEFAULT-VALUE})").build());
        spec.addOption(OptionSpec.builder("--list").arity("0").description("list the candidates and exit").build());
        return spec;
    }

    public static void main(String[] args) throws Exception {
        final CommandLine commandLine = new CommandLine(commandSpec());
        final Alternate runner;
        try {
            final ParseResult parsed = commandLine.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
            if (parsed.hasMatchedOption("--list")) {
                for (Candidate candidate : Candidate.values()) {
                    System.out.printf(Locale.ROOT, "%-18s %-10s %s%s%n", candidate.id, candidate.kind.name().toLowerCase(Locale.ROOT),
                        candidate.description, Candidate.DEFAULT.contains(candidate) ? "  [default]" : "");
                }
                return;
            }
            runner = fromCommandLine(commandLine, parsed);
        } catch (ParameterException e) {
            System.err.println("alternate: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            System.exit(2);
            return;
        }
        System.exit(runner.run());
    }

    private static Alternate fromCommandLine(CommandLine commandLine, ParseResult parsed) {
        final int rounds = parsed.matchedOptionValue("--rounds", 5);
        if (rounds < 1) {
            throw new ParameterException(commandLine, "option --rounds: " + rounds + " is not at least 1");
        }
        final boolean quick = parsed.hasMatchedOption("--quick");
        final List<Candidate> candidates = new ArrayList<>();
        final List<String> ids = parsed.matchedOptionValue("--candidates", null);
        if (ids == null) {
            candidates.addAll(quick ? Candidate.QUICK : Candidate.DEFAULT);
        } else {
            for (String id : ids) {
                try {
                    candidates.add(Candidate.byId(id.trim()));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(commandLine, "option --candidates: " + e.getMessage());
                }
            }
        }
        final Integer warmupOption = parsed.matchedOptionValue("--warmup-iterations", null);
        final Integer measureOption = parsed.matchedOptionValue("--iterations", null);
        final int warmup = warmupOption != null ? warmupOption : quick ? 1 : 2;
        final int measure = measureOption != null ? measureOption : quick ? 2 : 5;
        if (warmup < 0) {
            throw new ParameterException(commandLine, "option --warmup-iterations: " + warmup + " is negative");
        }
        if (measure < 1) {
            throw new ParameterException(commandLine, "option --iterations: " + measure + " is not at least 1");
        }
        final Path cDirectory = parsed.matchedOptionValue("--c-dir", Paths.get("jmh", "target", "c"));
        for (String program : new String[] {"stream", "pingpong", "datapath"}) {
            if (!Files.isExecutable(cDirectory.resolve(program))) {
                throw new ParameterException(commandLine, "option --c-dir: " + cDirectory + " has no executable '" + program
                    + "' (build the C floors with jmh/c/build.sh)");
            }
        }
        final double nearBelow = parsed.matchedOptionValue("--near-below", 350.0);
        if (!(nearBelow > 0)) {
            throw new ParameterException(commandLine, "option --near-below: " + nearBelow + " is not a positive number of ns");
        }
        final double busyAbove = parsed.matchedOptionValue("--busy-above", 2000.0);
        if (!(busyAbove > nearBelow)) {
            throw new ParameterException(commandLine, "option --busy-above: " + busyAbove + " is not above --near-below " + nearBelow);
        }
        final double busyStall = parsed.matchedOptionValue("--busy-stall", 25.0);
        if (!(busyStall > 0 && busyStall <= 100)) {
            throw new ParameterException(commandLine, "option --busy-stall: " + busyStall + " is not a percentage in (0, 100]");
        }
        final long waitIdle = parsed.matchedOptionValue("--wait-idle", 0L);
        if (waitIdle < 0) {
            throw new ParameterException(commandLine, "option --wait-idle: " + waitIdle + " is negative");
        }
        final double idleBelow = parsed.matchedOptionValue("--idle-below", 15.0);
        if (!(idleBelow > 0 && idleBelow <= 100)) {
            throw new ParameterException(commandLine, "option --idle-below: " + idleBelow + " is not a percentage in (0, 100]");
        }
        return new Alternate(rounds, candidates, warmup, measure, cDirectory, parsed.matchedOptionValue("--out", null),
            parsed.matchedOptionValue("--plot", null), nearBelow, busyAbove, busyStall / 100.0, waitIdle, idleBelow / 100.0);
    }

    /** One candidate's result in one round. {@code value}: records/s (throughput) or p50 ns (round trip). */
    private record Figure(Candidate candidate, int round, double value, double p90, double p99, double probeBefore,
                          String detail) {
    }

    /**
     * Where a candidate ran, from the probes before and after it: both near, both far, either busy (the
     * two spinning processes had to share a vCPU with other load), or a flip between near and far.
     */
    private enum Placement {
        NEAR, FAR, BUSY, FLIP
    }

    /** Runs every round and prints the report; returns the exit status (1 if any trial failed). */
    private int run() throws Exception {
        if (out == null) {
            out = Paths.get("jmh", "target", "alternate", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(out);
        // several JMH runs share this machine; each trial here is short and we report the load average
        System.setProperty("jmh.ignoreLock", "true");
        System.setProperty("java.awt.headless", "true");
        // a stopped runner stops its C program too (SIGTERM: it deletes its ring files; its child follows it)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            final Process process = running;
            if (process != null) {
                process.destroy();
            }
        }, "stop-c-program"));

        final List<Figure> figures = new ArrayList<>();
        final Map<Integer, double[]> endProbes = new LinkedHashMap<>();
        int failures = 0;
        try (PrintStream file = new PrintStream(out.resolve("report.txt").toFile(), StandardCharsets.UTF_8)) {
            report = file;
            line("alternate: " + rounds + " rounds of " + candidates.size() + " candidates; JMH " + warmup + " warm-up + "
                + measure + " measurement iterations of 1 s; java " + System.getProperty("java.version") + "; "
                + Runtime.getRuntime().availableProcessors() + " CPUs; output in " + out);
            line("candidates: " + String.join(", ", candidates.stream().map(c -> c.id).toList()));
            final long started = System.nanoTime();
            for (int round = 1; round <= rounds; round++) {
                line("");
                line("round " + round + " of " + rounds + ", load average " + loadAverage() + ", "
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")));
                final Path roundDirectory = Files.createDirectories(out.resolve("round-" + round));
                for (Candidate candidate : candidates) {
                    final String waited = waitForIdle();
                    final double probe = probe(roundDirectory);
                    try {
                        final long stallBefore = cpuStallMicros();
                        final long startedAt = System.nanoTime();
                        final Figure figure = candidate.isC()
                            ? runC(candidate, round, probe, measure)
                            : runJmh(candidate, round, probe, warmup, measure, roundDirectory);
                        final double stall = stallBefore < 0 ? Double.NaN
                            : (cpuStallMicros() - stallBefore) * 1e3 / (System.nanoTime() - startedAt);
                        stalls.put(round + "/" + candidate.id, stall);
                        figures.add(figure);
                        line(String.format(Locale.ROOT, "  %-18s %s   probe p50 %4.0f ns (%s), cpu stall %3.0f%%%s", candidate.id,
                            show(figure), probe, classify(probe).name().toLowerCase(Locale.ROOT), stall * 100, waited));
                    } catch (Exception e) {
                        failures++;
                        line(String.format(Locale.ROOT, "  %-18s FAILED: %s", candidate.id, e.getMessage()));
                    }
                }
                endProbes.put(round, new double[] {probe(roundDirectory)});
                line(String.format(Locale.ROOT, "  end-of-round probe p50 %.0f ns; elapsed %d s", endProbes.get(round)[0],
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
            }
            final Map<String, Placement> placements = placements(figures, candidates, endProbes);
            printRounds(figures, candidates, placements);
            printSummary(figures, candidates, placements);
            if (plot != null) {
                drawPlot();
            }
            line("");
            line("load average at the end: " + loadAverage() + "; total " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
                + " s; " + failures + " failed trial(s)");
        }
        return failures == 0 ? 0 : 1;
    }

    /** Prints a line of the report: on the console and into report.txt. */
    private void line(String text) {
        System.out.println(text);
        System.out.flush();
        report.println(text);
        report.flush();
    }

    private static String loadAverage() {
        try {
            final String[] fields = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * With --wait-idle: waits (bounded) until everything else uses less than --idle-below of the CPUs,
     * measured over 1 s from /proc/stat while this runner runs nothing. Returns a note for the report.
     */
    private String waitForIdle() throws InterruptedException {
        if (waitIdleSeconds == 0) {
            return "";
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitIdleSeconds);
        final long start = System.nanoTime();
        double busy;
        do {
            final long[] before = cpuTicks();
            Thread.sleep(1000);
            final long[] after = cpuTicks();
            busy = before == null || after == null || after[1] == before[1] ? 0
                : (double) (after[0] - before[0]) / (after[1] - before[1]);
        } while (busy >= idleBelow && System.nanoTime() < deadline);
        return String.format(Locale.ROOT, ", others %.0f%% CPU after %d s wait", busy * 100,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }

    /** {busy, total} CPU ticks of all CPUs since boot (first line of /proc/stat), or null where unreadable. */
    private static long[] cpuTicks() {
        try {
            final String[] fields = Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            final long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]); // idle + iowait
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Microseconds in which at least one task waited for a CPU, since boot (Linux pressure stall
     * information, "some" line of /proc/pressure/cpu); -1 where the kernel does not provide it.
     */
    private static long cpuStallMicros() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/pressure/cpu"))) {
                if (line.startsWith("some ")) {
                    return Long.parseLong(line.substring(line.indexOf("total=") + "total=".length()).trim());
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Placement classify(double probeNanos) {
        return probeNanos < nearBelowNanos ? Placement.NEAR : probeNanos <= busyAboveNanos ? Placement.FAR : Placement.BUSY;
    }

    // ---------------------------------------------------------------- running

    /**
     * A short C ping-pong (100 000 round trips, about 0.1 s): its median round trip tells the placement of
     * the vCPUs now (near about 170 ns, far about 560 ns on this machine), or that other load made the two
     * spinning processes share a vCPU (microseconds to milliseconds).
     */
    private double probe(Path roundDirectory) throws InterruptedException {
        try {
            final Map<String, String> result = runProgram(roundDirectory, List.of(cDirectory.resolve("pingpong").toString(), "-w",
                "20000", "-n", "100000"), "pingpong", PROBE_TIMEOUT_SECONDS);
            return Double.parseDouble(result.get("p50"));
        } catch (IOException | RuntimeException e) {
            // 120 000 round trips take 0.1 s on free vCPUs: not done in 10 s means the two processes shared one
            line("  (placement probe failed, counted as busy: " + e.getMessage() + ")");
            return Double.POSITIVE_INFINITY;
        }
    }

    private Figure runC(Candidate candidate, int round, double probe, int measure) throws IOException, InterruptedException {
        switch (candidate) {
            case C_OFFER:
            case C_BATCH:
            case C_ALIGNED_OFFER:
            case C_ALIGNED_BATCH:
            case C_PATH_OFFER:
            case C_PATH_BATCH: {
                final String mode = candidate == Candidate.C_OFFER || candidate == Candidate.C_ALIGNED_OFFER
                    || candidate == Candidate.C_PATH_OFFER ? "offer" : "batch";
                final String program = candidate == Candidate.C_PATH_OFFER || candidate == Candidate.C_PATH_BATCH ? "datapath" : "stream";
                final Map<String, String> result = runProgram(out, List.of(cDirectory.resolve(program).toString(), "-m", mode,
                    "-w", "1", "-d", Integer.toString(measure), "-i", Integer.toString(measure), "-s",
                    Integer.toString(candidate.cStride())), program, 60 + 2L * measure);
                final DescriptiveStatistics intervals = new DescriptiveStatistics();
                for (String rate : result.get("intervals").split(",")) {
                    intervals.addValue(Double.parseDouble(rate));
                }
                return new Figure(candidate, round, intervals.getPercentile(50), Double.NaN, Double.NaN, probe,
                    String.format(Locale.ROOT, "intervals %.1f-%.1f M/s", intervals.getMin() / 1e6, intervals.getMax() / 1e6));
            }
            case C_ROUND_TRIP:
            case C_ALIGNED_ROUND_TRIP: {
                final Map<String, String> result = runProgram(out, List.of(cDirectory.resolve("pingpong").toString(), "-w", "200000",
                    "-n", Integer.toString(measure * 1_000_000), "-s", Integer.toString(candidate.cStride())), "pingpong",
                    120 + 5L * measure);
                return new Figure(candidate, round, Double.parseDouble(result.get("p50")), Double.parseDouble(result.get("p90")),
                    Double.parseDouble(result.get("p99")), probe, result.get("round_trips") + " round trips");
            }
            default:
                throw new IllegalArgumentException("candidate " + candidate.id + " is not a C program");
        }
    }

    /** Runs a C program, bounded; returns the key=value fields of its output line that starts with {@code prefix}. */
    private static Map<String, String> runProgram(Path directory, List<String> command, String prefix, long timeoutSeconds)
        throws IOException, InterruptedException {
        final Path output = Files.createTempFile(directory, prefix, ".out");
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            running = process;
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroy(); // SIGTERM: the C program deletes its ring files
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                throw new IllegalStateException(String.join(" ", command) + ": still running after " + timeoutSeconds + " s");
            }
            final String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": exit " + process.exitValue() + ": " + text.trim());
            }
            for (String line : text.split("\n")) {
                if (line.startsWith(prefix + " ")) {
                    final Map<String, String> fields = new LinkedHashMap<>();
                    for (String field : line.substring(prefix.length() + 1).trim().split("\\s+")) {
                        final int equals = field.indexOf('=');
                        if (equals > 0) {
                            fields.put(field.substring(0, equals), field.substring(equals + 1));
                        }
                    }
                    return fields;
                }
            }
            throw new IllegalStateException(String.join(" ", command) + ": no '" + prefix + " ...' line in its output: " + text.trim());
        } finally {
            running = null;
            Files.deleteIfExists(output);
        }
    }

    private Figure runJmh(Candidate candidate, int round, double probe, int warmup, int measure, Path roundDirectory)
        throws RunnerException, IOException {
        final Path json = roundDirectory.resolve(candidate.id + ".json");
        final Path log = roundDirectory.resolve(candidate.id + ".log");
        final boolean roundTrip = candidate.kind == Candidate.Kind.ROUND_TRIP;
        final String[] benchmarkAndParam = candidate.benchmark.split(":", 2);
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include("^" + Pattern.quote(CrossProcessThroughput.class.getPackageName() + "." + benchmarkAndParam[0]) + "$")
            .mode(roundTrip ? Mode.SampleTime : Mode.Throughput)
            .timeUnit(roundTrip ? TimeUnit.NANOSECONDS : TimeUnit.SECONDS)
            .forks(1)
            .warmupIterations(warmup)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(measure)
            .measurementTime(TimeValue.seconds(1))
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .output(log.toString());
        if (benchmarkAndParam.length == 2) {
            final String[] param = benchmarkAndParam[1].split("=", 2);
            options.param(param[0], param[1]);
        }
        final Path histogram = roundDirectory.resolve(candidate.id + ".hlog");
        final boolean recording = plot != null && Candidate.PLOTTED.contains(candidate);
        final List<String> jvmArgs = new ArrayList<>(candidate.jvmArgs());
        if (recording) {
            jvmArgs.add("-D" + Peer.HISTOGRAM_PROPERTY + "=" + histogram.toAbsolutePath());
        }
        if (!jvmArgs.isEmpty()) {
            // prepend, so that the benchmark's own @Fork(jvmArgsAppend) (Agrona's flag) still applies
            options.jvmArgsPrepend(jvmArgs.toArray(new String[0]));
        }
        new Runner(options.build()).run();
        final JsonObject metric = readPrimaryMetric(json, log);
        if (recording) {
            histograms.computeIfAbsent(candidate, c -> new ArrayList<>()).add(readHistogram(histogram));
        }
        if (roundTrip) {
            final JsonObject percentiles = metric.getAsJsonObject("scorePercentiles");
            return new Figure(candidate, round, percentiles.get("50.0").getAsDouble(), percentiles.get("90.0").getAsDouble(),
                percentiles.get("99.0").getAsDouble(), probe, "JMH sample mode");
        }
        final DescriptiveStatistics iterationsOfTrial = new DescriptiveStatistics();
        for (JsonElement fork : metric.getAsJsonArray("rawData")) {
            for (JsonElement value : fork.getAsJsonArray()) {
                iterationsOfTrial.addValue(value.getAsDouble());
            }
        }
        return new Figure(candidate, round, iterationsOfTrial.getPercentile(50), Double.NaN, Double.NaN, probe,
            String.format(Locale.ROOT, "iterations %.1f-%.1f M/s, JMH score %.1f M/s", iterationsOfTrial.getMin() / 1e6,
                iterationsOfTrial.getMax() / 1e6, metric.get("score").getAsDouble() / 1e6));
    }

    private static JsonObject readPrimaryMetric(Path json, Path log) throws IOException {
        if (!Files.exists(json)) {
            throw new IllegalStateException("JMH wrote no result " + json + " (see " + log + ")");
        }
        final JsonArray results = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonArray();
        if (results.size() != 1) {
            throw new IllegalStateException("JMH result " + json + " holds " + results.size() + " results, expected 1 (see " + log + ")");
        }
        return results.get(0).getAsJsonObject().getAsJsonObject("primaryMetric");
    }

    private static Histogram readHistogram(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalStateException("the benchmark wrote no histogram " + file);
        }
        final HistogramLogReader reader = new HistogramLogReader(file.toFile());
        try {
            final Histogram histogram = (Histogram) reader.nextIntervalHistogram();
            if (histogram == null) {
                throw new IllegalStateException("histogram log " + file + " holds no histogram");
            }
            return histogram;
        } finally {
            reader.close();
        }
    }

    // ---------------------------------------------------------------- reporting

    private static String show(Figure figure) {
        if (figure.candidate.kind == Candidate.Kind.THROUGHPUT) {
            return String.format(Locale.ROOT, "%8.2f M/s         (%s)", figure.value / 1e6, figure.detail);
        }
        return String.format(Locale.ROOT, "p50 %6.0f  p90 %6.0f  p99 %7.0f ns", figure.value, figure.p90, figure.p99);
    }

    /** Placement of each figure, keyed by "round/candidate": the probe before it and the next probe (or end of round) agree, or not. */
    private Map<String, Placement> placements(List<Figure> figures, List<Candidate> candidates, Map<Integer, double[]> endProbes) {
        final Map<String, Placement> placements = new LinkedHashMap<>();
        for (Figure figure : figures) {
            final int index = candidates.indexOf(figure.candidate);
            double after = endProbes.get(figure.round)[0];
            for (Figure next : figures) {
                if (next.round == figure.round && candidates.indexOf(next.candidate) == index + 1) {
                    after = next.probeBefore;
                }
            }
            final Placement before = classify(figure.probeBefore);
            final Placement next = classify(after);
            final boolean stalled = stalls.getOrDefault(figure.round + "/" + figure.candidate.id, 0.0) > busyStall;
            final Placement placement = stalled || before == Placement.BUSY || next == Placement.BUSY ? Placement.BUSY
                : before != next ? Placement.FLIP : before;
            placements.put(figure.round + "/" + figure.candidate.id, placement);
        }
        return placements;
    }

    private void printRounds(List<Figure> figures, List<Candidate> candidates, Map<String, Placement> placements) {
        line("");
        line(FULL_WIDTH);
        line("Every round: figure (throughput: median of 1-s iterations, M records/s; round trip: p50/p90/p99 ns), placement,");
        line("and the same-round ratio to each reference (throughput: candidate/reference, higher is better;");
        line("round trip: candidate p50/reference p50, lower is better, p99 ratio in brackets)");
        line(FULL_WIDTH);
        for (int round = 1; round <= rounds; round++) {
            line("round " + round);
            for (Candidate candidate : candidates) {
                final Figure figure = find(figures, candidate, round);
                if (figure == null) {
                    line(String.format(Locale.ROOT, "  %-18s (failed)", candidate.id));
                    continue;
                }
                final StringBuilder ratios = new StringBuilder();
                for (Candidate reference : candidate.references()) {
                    final Figure base = find(figures, reference, round);
                    if (base != null) {
                        ratios.append(String.format(Locale.ROOT, "  /%s %.2f", reference.id, figure.value / base.value));
                        if (candidate.kind == Candidate.Kind.ROUND_TRIP) {
                            ratios.append(String.format(Locale.ROOT, " (%.2f)", figure.p99 / base.p99));
                        }
                    }
                }
                final String value = candidate.kind == Candidate.Kind.THROUGHPUT
                    ? String.format(Locale.ROOT, "%8.2f M/s", figure.value / 1e6)
                    : String.format(Locale.ROOT, "%5.0f/%5.0f/%6.0f", figure.value, figure.p90, figure.p99);
                line(String.format(Locale.ROOT, "  %-18s %-18s %-4s%s", candidate.id, value,
                    placements.get(round + "/" + candidate.id).name().toLowerCase(Locale.ROOT), ratios));
            }
        }
    }

    private void printSummary(List<Figure> figures, List<Candidate> candidates, Map<String, Placement> placements) {
        line("");
        line(FULL_WIDTH);
        line("Same-round ratios over the rounds: median [min-max] (number of rounds); near/far: only rounds in which");
        line("both candidates ran in that placement (busy and flip rounds count under 'all rounds' only).");
        line("Round trips: ratio of p50 (and of p99 below it).");
        line(FULL_WIDTH);
        line(String.format(Locale.ROOT, "%-36s %-24s %-24s %-24s", "ratio", "all rounds", "near", "far"));
        for (Candidate candidate : candidates) {
            for (Candidate reference : candidate.references()) {
                if (!candidates.contains(reference)) {
                    continue;
                }
                final Map<String, DescriptiveStatistics> p50 = new LinkedHashMap<>();
                final Map<String, DescriptiveStatistics> p99 = new LinkedHashMap<>();
                for (String key : new String[] {"all", "near", "far"}) {
                    p50.put(key, new DescriptiveStatistics());
                    p99.put(key, new DescriptiveStatistics());
                }
                for (int round = 1; round <= rounds; round++) {
                    final Figure figure = find(figures, candidate, round);
                    final Figure base = find(figures, reference, round);
                    if (figure == null || base == null) {
                        continue;
                    }
                    final Placement a = placements.get(round + "/" + candidate.id);
                    final Placement b = placements.get(round + "/" + reference.id);
                    final List<String> keys = new ArrayList<>(List.of("all"));
                    if (a == b && (a == Placement.NEAR || a == Placement.FAR)) {
                        keys.add(a.name().toLowerCase(Locale.ROOT));
                    }
                    for (String key : keys) {
                        p50.get(key).addValue(figure.value / base.value);
                        p99.get(key).addValue(figure.p99 / base.p99);
                    }
                }
                line(String.format(Locale.ROOT, "%-36s %-24s %-24s %-24s", candidate.id + " / " + reference.id,
                    range(p50.get("all")), range(p50.get("near")), range(p50.get("far"))));
                if (candidate.kind == Candidate.Kind.ROUND_TRIP) {
                    line(String.format(Locale.ROOT, "%-36s %-24s %-24s %-24s", "  p99", range(p99.get("all")),
                        range(p99.get("near")), range(p99.get("far"))));
                }
            }
        }
        line("");
        line("Absolute figures, median [min-max] (rounds): throughput M records/s, round trip p50 ns");
        line(String.format(Locale.ROOT, "%-36s %-24s %-24s %-24s", "candidate", "all rounds", "near", "far"));
        for (Candidate candidate : candidates) {
            final Map<String, DescriptiveStatistics> values = new LinkedHashMap<>();
            for (String key : new String[] {"all", "near", "far", "busy", "flip"}) {
                values.put(key, new DescriptiveStatistics());
            }
            final double scale = candidate.kind == Candidate.Kind.THROUGHPUT ? 1e6 : 1;
            for (Figure figure : figures) {
                if (figure.candidate == candidate) {
                    values.get("all").addValue(figure.value / scale);
                    values.get(placements.get(figure.round + "/" + candidate.id).name().toLowerCase(Locale.ROOT))
                        .addValue(figure.value / scale);
                }
            }
            line(String.format(Locale.ROOT, "%-36s %-24s %-24s %-24s", candidate.id, range(values.get("all")),
                range(values.get("near")), range(values.get("far"))));
        }
    }

    private static String range(DescriptiveStatistics statistics) {
        if (statistics.getN() == 0) {
            return "-";
        }
        final double median = statistics.getPercentile(50);
        final String format = median >= 100 ? "%.0f [%.0f-%.0f] (%d)" : "%.2f [%.2f-%.2f] (%d)";
        return String.format(Locale.ROOT, format, median, statistics.getMin(), statistics.getMax(), statistics.getN());
    }

    private static Figure find(List<Figure> figures, Candidate candidate, int round) {
        for (Figure figure : figures) {
            if (figure.candidate == candidate && figure.round == round) {
                return figure;
            }
        }
        return null;
    }

    private void drawPlot() throws IOException {
        if (histograms.isEmpty()) {
            line("plot: no round-trip histogram was recorded (run ringRoundTrip, agronaRoundTrip or udsRoundTrip)");
            return;
        }
        final Map<Candidate, Histogram> merged = new EnumMap<>(Candidate.class);
        for (Map.Entry<Candidate, List<Histogram>> entry : histograms.entrySet()) {
            final Histogram sum = new Histogram(entry.getValue().get(0).getHighestTrackableValue(), 3);
            for (Histogram histogram : entry.getValue()) {
                sum.add(histogram);
            }
            merged.put(entry.getKey(), sum);
            try (PrintStream percentiles = new PrintStream(out.resolve(entry.getKey().id + ".hgrm").toFile(), StandardCharsets.UTF_8)) {
                sum.outputPercentileDistribution(percentiles, 1.0);
            }
        }
        final String title = "Cross-process round trip of one 132-byte People, " + rounds + " alternating rounds, "
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd"));
        LatencyPlot.write(plot, title, merged);
        line("plot: " + plot + " (percentile distributions in " + out + "/*.hgrm)");
    }
}
