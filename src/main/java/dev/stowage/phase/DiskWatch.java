package dev.stowage.phase;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.archive.TransferListener;
import dev.stowage.journal.Journal;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.probe.DiskHealth;
import dev.stowage.probe.Finding;
import dev.stowage.probe.HealthReport;
import dev.stowage.probe.Verdict;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Watches the disks during a long phase, from a background thread, with the probe's passive
 * signals only (no IO added): about once a second it judges the last few seconds. When the disk
 * stalls, it says so at once (a warning, and a {@code health/watch} note in the journal), and the
 * run backs off: {@link #pace} holds the next unit of work (a blob, a volume, a container) until
 * the disk recovers, at most {@link Preflight#stallPatience()}, then stops the run with exit code
 * 11 (what is done is kept; a rerun carries on). Work in flight is never interrupted: a write the
 * kernel holds cannot be taken back, and more of them would only lengthen the queue.
 *
 * <p>Journal notes are written from a thread of their own, so that a journal on the stalled disk
 * cannot hold up the watching.
 */
public final class DiskWatch implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Long enough for the stuck rules (2 s without a completion), short enough to notice recovery soon. */
    static final Duration WINDOW = Duration.ofSeconds(3);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Supplier<HealthReport> sampler;
    private final Reporter reporter;
    private final Journal journal;
    private final Duration patience;
    private final ScheduledExecutorService clock;
    private final ExecutorService notes;
    private volatile Verdict verdict = Verdict.HEALTHY;
    private volatile List<Finding> problems = List.of();
    private volatile long stalledSince;
    private boolean warnedDegraded;
    private long samples;
    private long sampleNanos;
    private long maxSampleNanos;
    private int stalls;
    private long pausedNanos;

    DiskWatch(Supplier<HealthReport> sampler, Reporter reporter, Journal journal, Duration patience,
            Duration interval) {
        this.sampler = sampler;
        this.reporter = reporter;
        this.journal = journal;
        this.patience = patience;
        if (sampler == null) {
            this.clock = null;
            this.notes = null;
            return;
        }
        this.clock = Executors.newSingleThreadScheduledExecutor(daemonThread("stowage-disk-watch"));
        this.notes = Executors.newSingleThreadExecutor(daemonThread("stowage-disk-notes"));
        clock.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts watching the filesystems under {@code paths}; close it when the phase ends. */
    public static DiskWatch start(List<Path> paths, Reporter reporter, Journal journal, Preflight preflight) {
        return new DiskWatch(DiskHealth.watch(paths, WINDOW)::sample, reporter, journal, preflight.stallPatience(),
                INTERVAL);
    }

    /** A watch that watches nothing: every {@link #pace} returns at once. */
    public static DiskWatch off() {
        return new DiskWatch(null, null, null, Duration.ZERO, INTERVAL);
    }

    public Verdict verdict() {
        return verdict;
    }

    /**
     * Called before a unit of work starts: returns at once unless the disk is stalled; then waits
     * for it to recover, at most the patience.
     *
     * @param next what is about to start, for the messages ("volume db-data")
     * @throws StowageException exit code 11 when the disk stays stalled for the whole patience
     */
    public void pace(String next) {
        if (verdict != Verdict.STALLED) {
            return;
        }
        long start = System.nanoTime();
        long deadline = stalledSince + patience.toNanos();
        reporter.emit(Event.Notice.info("holding " + next + " until the disk recovers (at most "
                + seconds(Math.max(0, deadline - start)) + ")"));
        while (verdict == Verdict.STALLED) {
            if (System.nanoTime() - deadline > 0) {
                throw new StowageException(ExitCode.DISK_STALLED, "the disk stayed stalled for "
                        + seconds(System.nanoTime() - stalledSince) + " mid-run; stopped before " + next + ": "
                        + HealthGate.describe(problems), HealthGate.remedy(problems) + "; what is done is kept: run"
                        + " the same command again once `stowage probe` says the disk is healthy");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        synchronized (this) {
            pausedNanos += System.nanoTime() - start;
        }
    }

    /** {@code listener}, pacing after each blob: a stalled disk holds the stream between two blobs. */
    public TransferListener pacing(TransferListener listener) {
        if (clock == null) {
            return listener;
        }
        return new TransferListener() {
            @Override
            public void bytes(long n) {
                listener.bytes(n);
            }

            @Override
            public void blobDone(BlobRef blob, boolean stored) {
                listener.blobDone(blob, stored);
                pace("the next blob");
            }
        };
    }

    private void tick() {
        long start = System.nanoTime();
        HealthReport report;
        try {
            report = sampler.get();
        } catch (RuntimeException e) {
            return; // a watcher that cannot read /proc must not break the run it watches
        }
        long took = System.nanoTime() - start;
        Verdict before;
        synchronized (this) {
            samples++;
            sampleNanos += took;
            maxSampleNanos = Math.max(maxSampleNanos, took);
            before = verdict;
        }
        Verdict now = report.verdict();
        problems = report.problems();
        if (now == Verdict.STALLED && before != Verdict.STALLED) {
            stalledSince = System.nanoTime();
            stalls++;
        }
        verdict = now;
        if (now == before) {
            return;
        }
        if (now == Verdict.STALLED) {
            reporter.emit(Event.Notice.warning("disk stalled mid-run: " + HealthGate.describe(problems)
                    + "; no new work starts until it recovers (waiting at most " + seconds(patience.toNanos()) + ")",
                    HealthGate.remedy(problems)));
            note("stalled", report);
        } else if (before == Verdict.STALLED) {
            reporter.emit(Event.Notice.info("disk recovered after " + seconds(System.nanoTime() - stalledSince)
                    + "; carrying on"));
            note("recovered", report);
        } else if (now == Verdict.DEGRADED && !warnedDegraded) {
            warnedDegraded = true;
            reporter.emit(Event.Notice.warning("disk degraded mid-run: " + HealthGate.describe(problems)
                    + "; carrying on", HealthGate.remedy(problems)));
            note("degraded", report);
        }
    }

    private void note(String event, HealthReport report) {
        ObjectNode data = HealthGate.record("watch", report).put("event", event);
        write(data);
    }

    private void write(ObjectNode data) {
        if (journal == null) {
            return;
        }
        notes.execute(() -> {
            try {
                journal.note("health/watch", data);
            } catch (RuntimeException e) {
                // the journal is on the sick disk or already closed: the warning on screen still stands
            }
        });
    }

    /** What the watching cost and found: samples, time per sample, stalls, time held. */
    public synchronized ObjectNode figures() {
        return Json.mapper().createObjectNode().put("samples", samples)
                .put("sample_ms_mean", samples == 0 ? 0 : Math.round(sampleNanos / 1e4 / samples) / 100.0)
                .put("sample_ms_max", Math.round(maxSampleNanos / 1e4) / 100.0)
                .put("stalls", stalls).put("paused_seconds", Math.round(pausedNanos / 1e7) / 100.0);
    }

    @Override
    public void close() {
        if (clock == null) {
            return;
        }
        clock.shutdownNow();
        awaitQuietly(clock, 2);
        write(figures().put("event", "summary"));
        notes.shutdown();
        awaitQuietly(notes, 5);
    }

    private static void awaitQuietly(ExecutorService executor, long seconds) {
        try {
            executor.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.0f s", nanos / 1e9);
    }

    private static java.util.concurrent.ThreadFactory daemonThread(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
