package dev.stowage.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the active probe's latencies. The thresholds sit far above what a healthy disk does for a
 * single 4 KiB synchronous write (well under 10 ms on SSDs and cloud volumes, around 10 ms on a
 * spinning disk) so that a busy shared host does not raise false alarms, and far below what a
 * throttled one does (tens to hundreds of ms: the limiter holds each request for its slot).
 */
final class ActiveRules {
    /** A median 4 KiB write of 100 ms or more is ten writes a second or fewer: useless for a migration. */
    static final long STALLED_P50_MICROS = 100_000;
    static final long DEGRADED_P50_MICROS = 20_000;
    /**
     * Share of operations at or over {@link LatencyStats#SLOW_MICROS} that counts as degraded. A
     * throttle that lets requests through in bursts shows as a cluster of slow ones (at 50 IOPS
     * about 40 % of them wait for the next slot); a busy but healthy host shows one or two.
     */
    static final double DEGRADED_SLOW_SHARE = 0.2;
    /** Fewer samples than this cannot carry the share rule. */
    static final int MIN_SAMPLES_FOR_SHARE = 5;

    private ActiveRules() {
    }

    static List<Finding> assess(Target target, ActiveResult result) {
        List<Finding> findings = new ArrayList<>();
        String subject = target.subject();
        String where = target.probeDir().toString();
        if (result.pending().isPresent()) {
            ActiveResult.Pending p = result.pending().get();
            String seconds = LatencyStats.millis(p.waitedMicros());
            if (p.operation().equals("start")) {
                findings.add(new Finding(Verdict.DEGRADED, subject, "active_write",
                        "the probe process did not start within " + seconds + ", so no IO was measured",
                        "the host is overloaded or its root disk is slow; rerun with a longer --duration"));
            } else {
                String signal = p.operation().equals("read") ? "active_read" : "active_write";
                findings.add(new Finding(Verdict.STALLED, subject, signal, String.format(Locale.ROOT, "a 4 KiB synchronous %s in %s had not completed after %s (%d writes"
                                + " done before it)", p.operation().equals("open") ? "file create" : p.operation(),
                                where, seconds, result.writes().count()),
                        "IO to this filesystem is not completing: check dmesg for hung tasks and IO errors and the"
                                + " volume's throttling metrics (burst credits); do not migrate until `stowage probe`"
                                + " reports healthy"));
            }
            return findings;
        }
        result.error().ifPresent(e -> findings.add(e.contains("Input/output error")
                ? new Finding(Verdict.STALLED, subject, "active_write", "the probe's IO failed: " + e,
                        "the device reports IO errors: check dmesg and the disk's health before anything else")
                : Finding.note(subject, "active_write", "active probe not run to the end: " + e)));
        latency(subject, "active_write", "writes", result.writes()).ifPresent(findings::add);
        latency(subject, "active_read", "reads", result.reads()).ifPresent(findings::add);
        return findings;
    }

    private static Optional<Finding> latency(String subject, String signal, String what, LatencyStats s) {
        if (s.count() == 0) {
            return Optional.empty();
        }
        String facts = String.format(Locale.ROOT, "4 KiB synchronous %s: %d done, %s, %d of them %s or slower,"
                + " about %.0f a second one at a time", what, s.count(), s.describe(), s.slow(),
                LatencyStats.millis(LatencyStats.SLOW_MICROS), s.opsPerSecond());
        if (s.p50Micros() >= STALLED_P50_MICROS) {
            return Optional.of(new Finding(Verdict.STALLED, subject, signal, facts,
                    "the disk holds every request back for 100 ms or more (exhausted burst credits, an IOPS"
                            + " throttle, or a failing device): a migration would take hours and starve the host."
                            + " Check dmesg and the volume's metrics; provisioned IOPS or waiting for credits to"
                            + " refill will help"));
        }
        boolean clustered = s.count() >= MIN_SAMPLES_FOR_SHARE && s.slowShare() >= DEGRADED_SLOW_SHARE;
        if (s.p50Micros() >= DEGRADED_P50_MICROS || clustered) {
            return Optional.of(new Finding(Verdict.DEGRADED, subject, signal, facts + ": rate-capped or"
                    + " saturated",
                    "requests are being held back: on a cloud volume this is the signature of exhausted burst"
                            + " credits or a provisioned IOPS limit (provisioned IOPS, or waiting for credits to refill,"
                            + " will help); on a local disk look for another process saturating it (iotop) or a"
                            + " failing disk (dmesg, smartctl)"));
        }
        return Optional.empty();
    }
}
