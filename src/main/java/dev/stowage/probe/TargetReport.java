package dev.stowage.probe;

import java.util.List;
import java.util.Optional;

/**
 * Everything the check learned about one filesystem.
 *
 * @param activity the device's diskstats over the passive window
 * @param active the active probe's result; empty when it was skipped (passive signals already
 *     said stalled, the filesystem is read-only or full, or the check was passive only)
 */
public record TargetReport(Target target, Optional<SpaceUsage> space, Optional<FilesystemErrors> errors,
        Optional<DeviceActivity> activity, Optional<ActiveResult> active, List<Finding> findings) {
    public TargetReport {
        findings = List.copyOf(findings);
    }

    public Verdict verdict() {
        return findings.stream().map(Finding::level).reduce(Verdict.HEALTHY, Verdict::worse);
    }
}
