package dev.stowage.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a device's diskstats over the passive window. Two signatures matter: requests in flight
 * with none completing (stuck), and completions flat at a low ceiling while requests wait long in
 * a full queue (rate-capped, the way a cloud volume out of burst credits behaves: requests are
 * held back, not failed).
 */
final class DeviceRules {
    /** In flight with no completion for this long: nothing healthy looks like that. */
    static final double STUCK_SECONDS = 2.0;
    /** Average wait per request that counts as rate-capped when the queue is also full. */
    static final double CAPPED_AWAIT_MILLIS = 50;
    /** A device below this many IOPS with a full queue is capped, not merely busy. */
    static final double CAPPED_MAX_IOPS = 2000;
    /** Completions count as flat when they vary less than this between samples (coefficient of variation). */
    static final double FLAT_VARIATION = 0.25;
    static final double SLOW_AWAIT_MILLIS = 500;
    static final double STALLED_AWAIT_MILLIS = 2000;

    private DeviceRules() {
    }

    /** The device's activity over the whole window, if diskstats has a row for it. */
    static Optional<DeviceActivity> overall(String device, List<Snapshot> window) {
        if (window.size() < 2) {
            return Optional.empty();
        }
        Snapshot first = window.get(0);
        Snapshot last = window.get(window.size() - 1);
        DiskStat a = first.disks().get(device);
        DiskStat b = last.disks().get(device);
        return a == null || b == null ? Optional.empty()
                : Optional.of(DeviceActivity.between(a, b, last.secondsSince(first)));
    }

    static List<Finding> assess(String subject, String device, List<Snapshot> window) {
        List<Finding> findings = new ArrayList<>();
        Optional<DeviceActivity> overall = overall(device, window);
        if (overall.isEmpty()) {
            return findings;
        }
        double stuck = longestStuck(device, window);
        DeviceActivity all = overall.get();
        if (stuck >= STUCK_SECONDS) {
            findings.add(new Finding(Verdict.STALLED, subject, "diskstats", String.format(Locale.ROOT,
                    "%s has had requests in flight with none completing for %.1f s (%d in flight now)",
                    device, stuck, all.inFlight()),
                    "the device is not completing IO: check dmesg for hung tasks and device errors, and the"
                            + " volume's health and throttling metrics at the provider; do not migrate now"));
        } else if (all.awaitMillis() >= STALLED_AWAIT_MILLIS) {
            findings.add(new Finding(Verdict.STALLED, subject, "diskstats", String.format(Locale.ROOT,
                    "requests to %s complete but wait %.1f s each on average (%.0f IOPS)", device,
                    all.awaitMillis() / 1000, all.iops()),
                    "the device is barely completing IO: check dmesg and the volume's metrics; do not migrate now"));
        } else if (capped(device, window, all)) {
            findings.add(new Finding(Verdict.DEGRADED, subject, "diskstats", String.format(Locale.ROOT,
                    "%s completes a flat %.0f IOPS (%.0f r/s, %.0f w/s) while requests wait %.0f ms with %.1f queued:"
                            + " rate-capped", device, all.iops(), all.readsPerSecond(), all.writesPerSecond(),
                    all.awaitMillis(), all.queueDepth()),
                    "looks like exhausted burst credits or a provisioned IOPS limit: provisioned IOPS (or a"
                            + " volume type with a higher baseline), or waiting for the credits to refill, will help"));
        } else if (all.awaitMillis() >= SLOW_AWAIT_MILLIS) {
            findings.add(new Finding(Verdict.DEGRADED, subject, "diskstats", String.format(Locale.ROOT,
                    "requests to %s wait %.0f ms each on average (%.0f IOPS, %.0f %% busy)", device,
                    all.awaitMillis(), all.iops(), all.utilisation() * 100),
                    "something saturates the disk or it is failing: look at iotop and dmesg before migrating"));
        }
        return findings;
    }

    /** The longest run of samples with requests in flight and the completion count not moving. */
    static double longestStuck(String device, List<Snapshot> window) {
        double longest = 0;
        Snapshot runStart = null;
        DiskStat runStat = null;
        for (Snapshot s : window) {
            DiskStat row = s.disks().get(device);
            if (row == null || row.inFlight() == 0) {
                runStart = null;
                runStat = null;
            } else if (runStart != null && row.completed() == runStat.completed()) {
                longest = Math.max(longest, s.secondsSince(runStart));
            } else {
                runStart = s;
                runStat = row;
            }
        }
        return longest;
    }

    private static boolean capped(String device, List<Snapshot> window, DeviceActivity all) {
        if (all.utilisation() < 0.9 || all.awaitMillis() < CAPPED_AWAIT_MILLIS || all.iops() <= 0
                || all.iops() > CAPPED_MAX_IOPS || all.queueDepth() < 1.5) {
            return false;
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 1; i < window.size(); i++) {
            DiskStat a = window.get(i - 1).disks().get(device);
            DiskStat b = window.get(i).disks().get(device);
            if (a != null && b != null) {
                rates.add(DeviceActivity.between(a, b, window.get(i).secondsSince(window.get(i - 1))).iops());
            }
        }
        if (rates.size() < 2) {
            return false;
        }
        double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance = rates.stream().mapToDouble(r -> (r - mean) * (r - mean)).average().orElse(0);
        return mean > 0 && Math.sqrt(variance) / mean <= FLAT_VARIATION;
    }
}
