package dev.stowage.probe;

/**
 * What a device did between two diskstats readings, computed as iostat computes it.
 *
 * @param awaitMillis average time a completed request spent queued and in service
 * @param utilisation fraction of the interval with at least one request in flight (0..1)
 * @param queueDepth average number of requests in flight (iostat's aqu-sz)
 * @param inFlight requests in flight at the end of the interval
 */
public record DeviceActivity(double seconds, long reads, long writes, double awaitMillis, double utilisation,
        double queueDepth, long inFlight) {

    public static DeviceActivity between(DiskStat before, DiskStat after, double seconds) {
        long reads = Math.max(0, after.readsCompleted() - before.readsCompleted());
        long writes = Math.max(0, after.writesCompleted() - before.writesCompleted());
        long ticks = Math.max(0, after.readTicks() - before.readTicks())
                + Math.max(0, after.writeTicks() - before.writeTicks());
        double millis = Math.max(1, seconds * 1000);
        return new DeviceActivity(seconds, reads, writes,
                reads + writes == 0 ? 0 : (double) ticks / (reads + writes),
                Math.min(1.0, Math.max(0, after.ioTicks() - before.ioTicks()) / millis),
                Math.max(0, after.queueTicks() - before.queueTicks()) / millis,
                after.inFlight());
    }

    public double iops() {
        return seconds <= 0 ? 0 : (reads + writes) / seconds;
    }

    public double readsPerSecond() {
        return seconds <= 0 ? 0 : reads / seconds;
    }

    public double writesPerSecond() {
        return seconds <= 0 ? 0 : writes / seconds;
    }
}
