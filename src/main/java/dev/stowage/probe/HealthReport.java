package dev.stowage.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a disk health check: one verdict, the findings that justify it, and the
 * measurements behind them.
 *
 * @param host findings not tied to one filesystem (IO pressure, stuck threads elsewhere)
 * @param pressure host-wide IO pressure over the passive window, where the kernel has PSI
 * @param seconds how long the check took
 */
public record HealthReport(List<TargetReport> targets, List<Finding> host, Optional<Pressure.Window> pressure,
        double seconds) {
    public HealthReport {
        targets = List.copyOf(targets);
        host = List.copyOf(host);
    }

    public Verdict verdict() {
        return findings().stream().map(Finding::level).reduce(Verdict.HEALTHY, Verdict::worse);
    }

    /** Every finding, per filesystem first, then host-wide. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        targets.forEach(t -> all.addAll(t.findings()));
        all.addAll(host);
        return all;
    }

    /** The findings that argue for a worse verdict than healthy: what a gate shows the operator. */
    public List<Finding> problems() {
        return findings().stream().filter(f -> f.level() != Verdict.HEALTHY).toList();
    }
}
