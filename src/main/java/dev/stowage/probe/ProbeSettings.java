package dev.stowage.probe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a health check runs.
 *
 * @param budget the whole check, passive window and active probe together
 * @param writes 4 KiB writes the active probe makes per filesystem (at most)
 * @param reads 4 KiB reads it makes after them (at most)
 * @param childCgroup a cgroup-v1 directory to move the probe's IO process into before it does IO:
 *     a test hook that lets a blkio throttle slow the probe down
 * @param proc where procfs is mounted; {@code /proc} except in tests
 * @param sys where sysfs is mounted; {@code /sys} except in tests
 * @param passiveWindow how long the passive signals are sampled before the active probe: long enough
 *     to tell a stuck request from a slow one (2 s or more from a budget of 7 s up), short enough to
 *     leave most of the budget to the active probe. Below 2 s the stuck rules cannot fire, and the
 *     active probe's watchdog is what catches a stall.
 */
public record ProbeSettings(Duration budget, int writes, int reads, Optional<Path> childCgroup, Path proc, Path sys,
        Duration passiveWindow) {
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(10);
    public static final Duration MIN_BUDGET = Duration.ofSeconds(2);

    /** The shortest passive window: five intervals of the shortest sampling interval. */
    public static final Duration MIN_WINDOW = Duration.ofMillis(500);
    static final int GATE_WRITES = 16;
    static final int GATE_READS = 8;

    public ProbeSettings {
        Objects.requireNonNull(budget);
        Objects.requireNonNull(childCgroup);
        Objects.requireNonNull(passiveWindow);
        if (budget.compareTo(MIN_BUDGET) < 0) {
            throw new IllegalArgumentException("a disk health check needs at least " + MIN_BUDGET.toSeconds() + " s");
        }
    }

    public static ProbeSettings of(Duration budget) {
        long window = Math.max(MIN_WINDOW.toMillis(), Math.min(3000, budget.toMillis() * 3 / 10));
        return new ProbeSettings(budget, 32, 16, Optional.empty(), Path.of("/proc"), Path.of("/sys"),
                Duration.ofMillis(window));
    }

    public ProbeSettings withChildCgroup(Optional<Path> cgroup) {
        return new ProbeSettings(budget, writes, reads, cgroup, proc, sys, passiveWindow);
    }

    /**
     * The same check, short, for the gate in front of every export, import and migrate: the
     * shortest passive window (the budget is too short for the stuck rules anyway; what a short
     * window can see, slow or rate-capped completions and threads often blocked, shows within its
     * few samples) and half the probe IO, 16 writes and 8 reads: still three times the samples the
     * slow-share rule needs, and 0.12 s of pacing instead of 0.24 s.
     */
    public ProbeSettings forGate() {
        return new ProbeSettings(budget, GATE_WRITES, GATE_READS, childCgroup, proc, sys, MIN_WINDOW);
    }

    /** Time between passive samples: six or so per window. */
    public Duration sampleInterval() {
        return Duration.ofMillis(Math.max(100, passiveWindow().toMillis() / 6));
    }
}
