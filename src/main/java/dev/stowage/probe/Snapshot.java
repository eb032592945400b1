package dev.stowage.probe;

import java.util.Map;
import java.util.Optional;

/**
 * The passive signals at one instant: nothing here made the disk do any IO.
 *
 * @param nanos {@link System#nanoTime()} when it was taken
 * @param disks diskstats rows by device name
 * @param blocked threads in state D, by thread id
 */
public record Snapshot(long nanos, Optional<Pressure> pressure, Map<String, DiskStat> disks,
        Map<Integer, BlockedThread> blocked) {
    public Snapshot {
        disks = Map.copyOf(disks);
        blocked = Map.copyOf(blocked);
    }

    public double secondsSince(Snapshot earlier) {
        return (nanos - earlier.nanos) / 1e9;
    }
}
