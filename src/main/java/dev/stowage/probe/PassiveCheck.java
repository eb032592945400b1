package dev.stowage.probe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a window of snapshots into per-filesystem reports and host-wide findings. */
final class PassiveCheck {
    /** IO pressure above this is worth a note. It is host-wide, so it never decides a verdict alone. */
    static final double NOTABLE_PRESSURE = 20;

    private PassiveCheck() {
    }

    static List<TargetReport> targets(List<Target> targets, List<Snapshot> window, Path sys) {
        List<TargetReport> reports = new ArrayList<>();
        for (Target target : targets) {
            Optional<SpaceUsage> space = SpaceUsage.of(target.probeDir());
            Optional<FilesystemErrors> errors = FilesystemErrors.of(target.mount(), target.device().orElse(null), sys);
            List<Finding> findings = new ArrayList<>(FilesystemRules.assess(target, space, errors));
            Optional<DeviceActivity> activity = Optional.empty();
            if (target.device().isPresent()) {
                String disk = target.device().get().name();
                activity = DeviceRules.overall(disk, window);
                findings.addAll(DeviceRules.assess(target.subject(), disk, window));
            }
            findings.addAll(ThreadRules.assess(target, window));
            reports.add(new TargetReport(target, space, errors, activity, Optional.empty(), findings));
        }
        return reports;
    }

    static Optional<Pressure.Window> pressure(List<Snapshot> window) {
        if (window.size() < 2) {
            return Optional.empty();
        }
        Snapshot first = window.get(0);
        Snapshot last = window.get(window.size() - 1);
        if (first.pressure().isEmpty() || last.pressure().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(first.pressure().get().until(last.pressure().get(), last.secondsSince(first)));
    }

    static List<Finding> host(List<Target> targets, List<Snapshot> window) {
        List<Finding> findings = new ArrayList<>();
        pressure(window).filter(p -> p.somePercent() >= NOTABLE_PRESSURE).ifPresent(p -> findings.add(
                Finding.note("host", "pressure", String.format(Locale.ROOT, "tasks on this host waited on IO %.0f %%"
                        + " of the last %.1f s (all at once: %.0f %%); PSI does not say which disk",
                        p.somePercent(), p.seconds(), p.fullPercent()))));
        ThreadRules.elsewhere(targets, window).ifPresent(findings::add);
        return findings;
    }

    static HealthReport report(List<Target> targets, List<Snapshot> window, Path sys, long startNanos) {
        return new HealthReport(targets(targets, window, sys), host(targets, window), pressure(window),
                (System.nanoTime() - startNanos) / 1e9);
    }
}
