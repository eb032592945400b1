package dev.stowage.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Percentiles of a handful of IO latencies, by nearest rank, in microseconds.
 *
 * @param slow how many took {@link #SLOW_MICROS} or more: with a few tens of samples this is
 *     steadier than p95, which a single hiccup of a shared host can move
 */
public record LatencyStats(int count, long p50Micros, long p95Micros, long maxMicros, long totalMicros, int slow) {
    public static final long SLOW_MICROS = 50_000;
    public static final LatencyStats NONE = new LatencyStats(0, 0, 0, 0, 0, 0);

    public static LatencyStats of(List<Long> micros) {
        if (micros.isEmpty()) {
            return NONE;
        }
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        long total = 0;
        int slow = 0;
        for (long m : sorted) {
            total += m;
            slow += m >= SLOW_MICROS ? 1 : 0;
        }
        return new LatencyStats(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.95), sorted.get(sorted.size() - 1),
                total, slow);
    }

    private static long rank(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    public double slowShare() {
        return count == 0 ? 0 : (double) slow / count;
    }

    /** Operations per second one at a time, i.e. what a queue depth of one achieved. */
    public double opsPerSecond() {
        return totalMicros <= 0 ? 0 : count * 1e6 / totalMicros;
    }

    /** {@code p50 0.3 ms, p95 1.2 ms, max 2.0 ms}. */
    public String describe() {
        return String.format(Locale.ROOT, "p50 %s, p95 %s, max %s", millis(p50Micros), millis(p95Micros),
                millis(maxMicros));
    }

    static String millis(long micros) {
        if (micros >= 10_000_000) {
            return String.format(Locale.ROOT, "%.0f s", micros / 1e6);
        }
        if (micros >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f s", micros / 1e6);
        }
        return String.format(Locale.ROOT, micros >= 10_000 ? "%.0f ms" : "%.1f ms", micros / 1e3);
    }
}
