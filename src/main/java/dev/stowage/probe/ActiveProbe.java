package dev.stowage.probe;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link IoProbeChild} on one directory under a watchdog. The child's budget ends before the
 * watchdog's; a child that has not finished by then is told to stop (SIGTERM) and left behind,
 * never waited for: a process in uninterruptible IO sleep cannot be killed until its IO returns.
 */
final class ActiveProbe {
    /** A single operation slower than this makes the child stop early: the verdict is clear. */
    static final long SLOW_MICROS = 200_000;
    private static final long CHILD_MARGIN_MILLIS = 300;

    private final ProbeSettings settings;

    ActiveProbe(ProbeSettings settings) {
        this.settings = settings;
    }

    /** A probe process started ahead of its run: its JVM starts while the passive signals are sampled. */
    record Prepared(Path dir, Process child) {
        /** Not needed after all: tell it to go away (it has done no IO yet). */
        void abandon() {
            child.destroy();
        }
    }

    /**
     * A probe process for {@code dir}: one started early if there is one (see {@link ProbeProcesses}),
     * else a new one. It waits, without IO, for {@link #run(Prepared, Duration)}.
     */
    Prepared prepare(Path dir) {
        Process child = ProbeProcesses.take().orElseGet(ActiveProbe::start);
        settings.childCgroup().ifPresent(cgroup -> join(cgroup, child));
        return new Prepared(dir, child);
    }

    ActiveResult run(Path dir, Duration budget) {
        return run(prepare(dir), budget);
    }

    ActiveResult run(Prepared prepared, Duration budget) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        Path dir = prepared.dir();
        Process child = prepared.child();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> pump(child, lines), "stowage-probe-reader");
        reader.setDaemon(true);
        reader.start();
        String mode = "direct+dsync";
        List<Long> writes = new ArrayList<>();
        List<Long> reads = new ArrayList<>();
        String phase = "start";
        long lastEvent = System.nanoTime();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    long waited = (System.nanoTime() - lastEvent) / 1000;
                    return result(mode, writes, reads, Optional.of(new ActiveResult.Pending(phase, waited)),
                            Optional.empty(), start);
                }
                lastEvent = System.nanoTime();
                String[] f = line.split(" ", 3);
                switch (f[0]) {
                    case "ready":
                        go(child, dir, deadline, settings);
                        phase = "open";
                        break;
                    case "open":
                        mode = f.length > 2 ? f[2] : mode;
                        phase = "write";
                        break;
                    case "w":
                        writes.add(Long.parseLong(f[1]));
                        break;
                    case "r":
                        reads.add(Long.parseLong(f[1]));
                        phase = "read";
                        break;
                    case "done":
                        return result(mode, writes, reads, Optional.empty(), Optional.empty(), start);
                    case "error":
                        return result(mode, writes, reads, Optional.empty(),
                                Optional.of(line.substring("error ".length())), start);
                    case "eof":
                        return result(mode, writes, reads, Optional.empty(),
                                Optional.of("the probe process exited early (code " + exitCode(child) + ")"), start);
                    default:
                        break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException(ExitCode.INTERRUPTED, "interrupted while probing " + dir, null, e);
        } finally {
            // Ask it to stop, then walk away. Its shutdown hook removes the temp file once its IO returns.
            child.destroy();
        }
    }

    /** A probe process that knows nothing yet: it starts its JVM, says ready and waits for its orders. */
    static Process start() {
        List<String> command = List.of(javaBinary(), "-XX:+UseSerialGC", "-Xmx32m", "-Xss512k",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xlog:disable", "-cp",
                System.getProperty("java.class.path"), IoProbeChild.class.getName());
        try {
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new StowageException(ExitCode.INTERNAL, "cannot start the disk probe process: " + e.getMessage(),
                    "check that " + javaBinary() + " runs", e);
        }
    }

    /** Test hook: moves the child into a blkio cgroup before it does any IO. */
    private static void join(Path cgroup, Process child) {
        try {
            Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(child.pid()));
        } catch (IOException e) {
            child.destroyForcibly();
            throw new StowageException(ExitCode.USAGE, "cannot move the probe process into cgroup " + cgroup
                    + ": " + e.getMessage(), "STOWAGE_PROBE_CGROUP must name an existing cgroup-v1 directory", e);
        }
    }

    private static void go(Process child, Path dir, long deadline, ProbeSettings settings) {
        long millis = Math.max(100, (deadline - System.nanoTime()) / 1_000_000 - CHILD_MARGIN_MILLIS);
        try {
            OutputStream in = child.getOutputStream();
            String orders = "go " + millis + " " + settings.writes() + " " + settings.reads() + " " + SLOW_MICROS
                    + " " + dir.toUri() + "\n";
            in.write(orders.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            // the child died; its stdout ends and the loop reports that
        }
    }

    private static void pump(Process child, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // stream closed: same as end of output
        }
        lines.add("eof");
    }

    private static String exitCode(Process child) {
        try {
            return child.waitFor(200, TimeUnit.MILLISECONDS) ? Integer.toString(child.exitValue()) : "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static ActiveResult result(String mode, List<Long> writes, List<Long> reads,
            Optional<ActiveResult.Pending> pending, Optional<String> error, long startNanos) {
        return new ActiveResult(mode, LatencyStats.of(writes), LatencyStats.of(reads), pending, error,
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** The java that runs stowage runs the child too. */
    static String javaBinary() {
        Path home = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(home)) {
            return home.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }
}
