package dev.stowage.report;

import dev.stowage.model.ByteSize;
import java.time.Duration;

/** A transfer rate smoothed over the last few seconds, and the ETA it implies. */
final class RateEstimator {
    private static final double SMOOTHING_SECONDS = 5.0;

    private String activity;
    private long lastBytes;
    private long lastNanos;
    private double bytesPerSecond;

    void sample(String currentActivity, long doneBytes) {
        long now = System.nanoTime();
        if (!currentActivity.equals(activity) || doneBytes < lastBytes) {
            activity = currentActivity;
            lastBytes = doneBytes;
            lastNanos = now;
            bytesPerSecond = 0;
            return;
        }
        double seconds = (now - lastNanos) / 1e9;
        if (seconds < 0.05) {
            return;
        }
        double instant = (doneBytes - lastBytes) / seconds;
        double weight = Math.min(1.0, seconds / SMOOTHING_SECONDS);
        bytesPerSecond = bytesPerSecond == 0 ? instant : bytesPerSecond + weight * (instant - bytesPerSecond);
        lastBytes = doneBytes;
        lastNanos = now;
    }

    String rateText() {
        return bytesPerSecond <= 0 ? "-/s" : ByteSize.of((long) bytesPerSecond).human() + "/s";
    }

    String eta(long remainingBytes) {
        if (bytesPerSecond <= 0 || remainingBytes <= 0) {
            return "--:--";
        }
        return clock(Duration.ofSeconds((long) (remainingBytes / bytesPerSecond)));
    }

    static String clock(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }
}
