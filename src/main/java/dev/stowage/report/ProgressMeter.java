package dev.stowage.report;

import java.util.function.Supplier;

/**
 * Throttles progress snapshots to one per interval, so that a phase may report every chunk it
 * moves without building or drawing a snapshot for each.
 */
public final class ProgressMeter {
    private final Reporter reporter;
    private final long intervalNanos;
    private long last;

    public ProgressMeter(Reporter reporter, long intervalMillis) {
        this.reporter = reporter;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.last = System.nanoTime() - intervalNanos;
    }

    /** Emits the snapshot if the interval has passed since the last one. */
    public void tick(Supplier<Event.Progress> snapshot) {
        long now = System.nanoTime();
        if (now - last >= intervalNanos) {
            last = now;
            reporter.emit(snapshot.get());
        }
    }

    /** Emits the snapshot now, e.g. at 100 %. */
    public void flush(Event.Progress snapshot) {
        last = System.nanoTime();
        reporter.emit(snapshot);
    }
}
