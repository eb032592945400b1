package dev.stowage.probe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The passive half of a disk health check, started when a command starts rather than when it
 * knows which disks to check: export, import and migrate spend their first half second or more
 * starting up and asking the daemon where its data-root is, which adds no IO to any disk, so the
 * gate's passive window can run meanwhile instead of after. Snapshots are system-wide (every
 * device, every blocked thread), so which filesystems matter can be decided when they are taken.
 *
 * <p>A sampler thread takes one snapshot per {@link #INTERVAL} and keeps the last {@link #KEPT}.
 * The first {@link #take} stops it and hands over what it has, waiting if less than the window has
 * passed. Samples are only good for the start of a run: after {@link #FRESH_FOR} the sampler stops
 * by itself and {@link #take} gives nothing, so a gate that comes later samples afresh.
 *
 * <pre>{@code
 * EarlySamples early = EarlySamples.start();   // first thing in the command
 * ...                                            // start-up, daemon facts: no disk IO
 * DiskHealth.check(paths, settings, early);    // uses them, or samples as usual
 * }</pre>
 */
public final class EarlySamples {
    static final Duration INTERVAL = Duration.ofMillis(100);
    static final int KEPT = 30;
    static final Duration FRESH_FOR = Duration.ofSeconds(10);

    private final long started = System.nanoTime();
    private final Deque<Snapshot> snapshots = new ArrayDeque<>();
    private final Thread sampler;
    private boolean taken;
    private boolean stale;

    private EarlySamples(Path proc, Duration freshFor) {
        sampler = new Thread(() -> run(proc, freshFor), "stowage-early-samples");
        sampler.setDaemon(true);
    }

    /** Starts sampling /proc now. */
    public static EarlySamples start() {
        return start(Path.of("/proc"), FRESH_FOR);
    }

    static EarlySamples start(Path proc, Duration freshFor) {
        EarlySamples early = new EarlySamples(proc, freshFor);
        early.sampler.start();
        return early;
    }

    private void run(Path proc, Duration freshFor) {
        try {
            ProcSampler procSampler = new ProcSampler(proc, MountTable.read(proc.resolve("self/mountinfo")));
            long deadline = started + freshFor.toNanos();
            for (long next = System.nanoTime(); !Thread.currentThread().isInterrupted(); next += INTERVAL.toNanos()) {
                LockSupport.parkNanos(next - System.nanoTime());
                if (System.nanoTime() > deadline) {
                    break;
                }
                Snapshot snapshot = procSampler.take();
                synchronized (this) {
                    if (taken) {
                        return;
                    }
                    snapshots.addLast(snapshot);
                    if (snapshots.size() > KEPT) {
                        snapshots.removeFirst();
                    }
                    notifyAll();
                }
            }
        } catch (RuntimeException e) {
            // an unreadable /proc: the gate samples as usual, and says what it cannot read
        }
        synchronized (this) {
            stale = true;
            notifyAll();
        }
    }

    /**
     * The snapshots taken so far, once they span {@code window} (waiting for the rest if need be);
     * empty when they are stale, already taken, /proc could not be sampled, or the window is longer
     * than the snapshots kept. Stops the sampler.
     */
    public synchronized Optional<List<Snapshot>> take(Duration window) throws InterruptedException {
        if (taken || window.compareTo(INTERVAL.multipliedBy(KEPT - 1)) > 0) {
            taken = true;
            sampler.interrupt();
            return Optional.empty();
        }
        while (!stale && (snapshots.size() < 2 || snapshots.peekLast().nanos() - snapshots.peekFirst().nanos()
                < window.toNanos())) {
            wait();
        }
        taken = true;
        sampler.interrupt();
        if (stale) {
            return Optional.empty();
        }
        return Optional.of(new ArrayList<>(snapshots));
    }
}
