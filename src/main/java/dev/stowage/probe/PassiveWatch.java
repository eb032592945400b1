package dev.stowage.probe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A passive watcher for long phases: call {@link #sample()} every second or so from a background
 * thread and act on the verdict (say so on the progress line, back off). It never adds IO, so it
 * is safe to run against a disk that is already struggling.
 */
public final class PassiveWatch {
    private final List<Target> targets;
    private final ProcSampler sampler;
    private final Path sys;
    private final Duration window;
    private final Deque<Snapshot> snapshots = new ArrayDeque<>();

    PassiveWatch(List<Target> targets, ProcSampler sampler, Path sys, Duration window) {
        this.targets = List.copyOf(targets);
        this.sampler = sampler;
        this.sys = sys;
        this.window = window;
    }

    /**
     * Takes one snapshot and judges the last {@code window} of them. The first calls, before two
     * snapshots span the stuck thresholds, can only say healthy or report space and mount problems.
     */
    public synchronized HealthReport sample() {
        long start = System.nanoTime();
        Snapshot now = sampler.take();
        snapshots.addLast(now);
        while (snapshots.size() > 2 && now.secondsSince(snapshots.peekFirst()) > window.toMillis() / 1000.0) {
            snapshots.removeFirst();
        }
        return PassiveCheck.report(targets, new ArrayList<>(snapshots), sys, start);
    }

    public List<Target> targets() {
        return targets;
    }
}
