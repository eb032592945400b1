package dev.stowage.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device's cumulative counters from a row of {@code /proc/diskstats}
 * (Documentation/admin-guide/iostats.rst). Ticks are milliseconds.
 *
 * @param inFlight requests issued to the driver and not yet completed, at the moment of reading
 * @param ioTicks milliseconds during which at least one request was in flight (iostat's %util)
 * @param queueTicks in-flight requests multiplied by milliseconds (iostat's aqu-sz)
 */
public record DiskStat(String name, String deviceId, long readsCompleted, long readTicks, long writesCompleted,
        long writeTicks, long inFlight, long ioTicks, long queueTicks) {

    public long completed() {
        return readsCompleted + writesCompleted;
    }

    /** Parses the whole file; rows that do not have the 11 classic counters are skipped. */
    public static Map<String, DiskStat> parse(String text) {
        Map<String, DiskStat> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 14) {
                continue;
            }
            try {
                DiskStat row = new DiskStat(f[2], f[0] + ":" + f[1], number(f[3]), number(f[6]), number(f[7]),
                        number(f[10]), number(f[11]), number(f[12]), number(f[13]));
                rows.put(row.name(), row);
            } catch (NumberFormatException e) {
                // a row we cannot read tells us nothing; the others still do
            }
        }
        return rows;
    }

    private static long number(String field) {
        // the kernel prints unsigned longs; treat a wrapped counter as its low 63 bits
        return Long.parseUnsignedLong(field) & Long.MAX_VALUE;
    }
}
