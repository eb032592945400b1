package dev.stowage.cli;

import dev.stowage.docker.DaemonClient;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.probe.DiskHealth;
import dev.stowage.probe.HealthReport;
import dev.stowage.probe.HealthSummary;
import dev.stowage.probe.ProbeSettings;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stowage probe}. */
@Command(name = "probe", header = "Check the disks under the data-root and the migration dir for IO stalls", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        description = {
            "Check the health of the disks under the given paths (default: the daemon's data-root and the"
                    + " migration directory) and say whether they are healthy, degraded or stalled, with the reasons"
                    + " and what to do about them.",
            "",
            "First it watches, adding no IO: IO pressure (PSI), the device's diskstats (requests in flight that"
                    + " never complete; completions flat at a ceiling while requests wait), threads stuck in D state,"
                    + " read-only mounts, space and inodes, filesystem error counters. Then, unless that already says"
                    + " stalled, it times a few tens of 4 KiB direct synchronous writes and reads, one at a time, in a"
                    + " child process under a watchdog, so that a disk that never answers cannot hang stowage.",
            "",
            "Exit code 0 when healthy, 10 when degraded, 11 when stalled. The whole check takes about --duration."
        })
public final class ProbeCommand implements Callable<Integer> {
    /** Test hook: a cgroup-v1 directory the probe's IO process is moved into (e.g. a blkio throttle). */
    static final String CGROUP_ENV = "STOWAGE_PROBE_CGROUP";
    static final Path FALLBACK_DATA_ROOT = Path.of("/var/lib/docker");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Directories to check. Default: the daemon's data-root (/var/lib/docker if the daemon"
                    + " does not answer) and the migration directory (--dir).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long the whole check may take, e.g. 10s, 500ms, 1m (at least 2s). Default: 10s.")
    Duration duration = ProbeSettings.DEFAULT_BUDGET;

    @Override
    public Integer call() {
        StowageCommand root = (StowageCommand) spec.root().userObject();
        Reporter reporter = root.reporter();
        try {
            if (duration.compareTo(ProbeSettings.MIN_BUDGET) < 0) {
                throw new StowageException(ExitCode.USAGE, "--duration " + duration.toMillis() + "ms is too short",
                        "give the probe at least 2s to tell a slow disk from a stuck one");
            }
            long start = System.nanoTime();
            List<Path> targets = paths.isEmpty() ? defaultPaths(root, reporter) : paths;
            Duration left = duration.minusNanos(System.nanoTime() - start);
            ProbeSettings settings = ProbeSettings.of(left.compareTo(ProbeSettings.MIN_BUDGET) < 0
                    ? ProbeSettings.MIN_BUDGET : left).withChildCgroup(cgroup());
            reporter.emit(new Event.Step(String.format(Locale.ROOT, "probing the disks of %s for up to %.0f s",
                    String.join(", ", targets.stream().map(Path::toString).toList()), duration.toMillis() / 1000.0)));
            HealthReport report = DiskHealth.check(targets, settings);
            reporter.emit(new Event.Summary("probe", HealthSummary.fields(report), HealthSummary.lines(report)));
            return report.verdict().exitCode().code();
        } finally {
            reporter.close();
        }
    }

    private static Optional<Path> cgroup() {
        String value = System.getenv(CGROUP_ENV);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /**
     * The daemon's data-root and the migration directory. The daemon gets a short deadline: on a
     * stalled disk dockerd itself often hangs, and the probe must still answer.
     */
    private List<Path> defaultPaths(StowageCommand root, Reporter reporter) {
        long timeoutMillis = Math.min(2000, duration.toMillis() / 5);
        CompletableFuture<String> dataRoot = new CompletableFuture<>();
        Thread query = new Thread(() -> {
            try (DaemonClient daemon = root.connect()) {
                dataRoot.complete(daemon.facts().dataRoot());
            } catch (RuntimeException e) {
                dataRoot.completeExceptionally(e);
            }
        }, "stowage-probe-daemon");
        query.setDaemon(true);
        query.start();
        List<Path> defaults = new ArrayList<>();
        try {
            String answer = dataRoot.get(timeoutMillis, TimeUnit.MILLISECONDS);
            defaults.add(answer == null || answer.isBlank() ? FALLBACK_DATA_ROOT : Path.of(answer));
        } catch (TimeoutException e) {
            fallback(reporter, "the Docker daemon did not answer within " + timeoutMillis + " ms", defaults);
        } catch (ExecutionException e) {
            fallback(reporter, "the Docker daemon is unreachable (" + e.getCause().getMessage() + ")", defaults);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException(ExitCode.INTERRUPTED, "interrupted", null, e);
        }
        defaults.add(root.options().dir);
        return defaults;
    }

    private static void fallback(Reporter reporter, String why, List<Path> defaults) {
        reporter.emit(Event.Notice.warning(why + "; probing " + FALLBACK_DATA_ROOT + " as its data-root",
                "pass the data-root as a PATH if it lives elsewhere"));
        defaults.add(FALLBACK_DATA_ROOT);
    }

    /** Reads 10, 10s, 500ms, 1m, 1.5s. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + value + "' is not a duration such as 10s, 500ms or 1m");
            }
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = unit.equals("ms") ? amount : unit.equals("m") ? amount * 60_000 : amount * 1000;
            return Duration.ofMillis(Math.round(millis));
        }
    }
}
