package dev.stowage.probe;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The disk health check: the entry point for {@code stowage probe} and for the gate that export,
 * import and migrate run before they write.
 *
 * <pre>{@code
 * HealthReport report = DiskHealth.check(List.of(dataRoot, migrationDir), Duration.ofSeconds(10));
 * if (report.verdict() == Verdict.STALLED) { refuse(report.problems()); }
 * }</pre>
 */
public final class DiskHealth {
    /** Kept back from the budget for assembling the report after the last probe. */
    private static final long REPORT_MARGIN_MILLIS = 300;
    /** An active probe with less time than this cannot tell slow from stuck; skipped instead. */
    private static final long MIN_ACTIVE_MILLIS = 700;

    private DiskHealth() {
    }

    /** Passive signals, then a small active probe on each filesystem, within {@code budget}. */
    public static HealthReport check(List<Path> paths, Duration budget) {
        return check(paths, ProbeSettings.of(budget));
    }

    public static HealthReport check(List<Path> paths, ProbeSettings settings) {
        return check(paths, settings, Optional.empty());
    }

    /**
     * As {@link #check(List, ProbeSettings)}, taking the passive window from {@code early} when it
     * has one: the gate then waits only for the active probes.
     */
    public static HealthReport check(List<Path> paths, ProbeSettings settings, Optional<EarlySamples> early) {
        long start = System.nanoTime();
        long deadline = start + settings.budget().toNanos();
        MountTable mounts = MountTable.read(settings.proc().resolve("self/mountinfo"));
        List<Target> targets = resolve(paths, mounts, settings.sys());
        ActiveProbe probe = new ActiveProbe(settings);
        // The probe processes start now, so that their JVMs start up during the passive window.
        Map<Path, ActiveProbe.Prepared> prepared = new HashMap<>();
        try {
            for (Target target : targets) {
                prepared.computeIfAbsent(target.probeDir(), probe::prepare);
            }
            Optional<List<Snapshot>> earlyWindow = early.isPresent() ? early.get().take(settings.passiveWindow())
                    : Optional.empty();
            List<Snapshot> window = earlyWindow.orElseGet(() -> sample(new ProcSampler(settings.proc(), mounts),
                    settings.passiveWindow(), settings.sampleInterval()));
            HealthReport passive = PassiveCheck.report(targets, window, settings.sys(), start);
            List<TargetReport> reports = activeAll(passive.targets(), probe, prepared, deadline);
            return new HealthReport(reports, passive.host(), passive.pressure(), (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException(ExitCode.INTERRUPTED, "interrupted while checking disk health", null, e);
        } finally {
            prepared.values().forEach(ActiveProbe.Prepared::abandon);
            ProbeProcesses.release();
        }
    }

    /** Passive signals only, over {@code window}: no IO added. */
    public static HealthReport sample(List<Path> paths, Duration window) {
        long start = System.nanoTime();
        ProbeSettings settings = ProbeSettings.of(ProbeSettings.DEFAULT_BUDGET);
        MountTable mounts = MountTable.read(settings.proc().resolve("self/mountinfo"));
        List<Target> targets = resolve(paths, mounts, settings.sys());
        List<Snapshot> snapshots = sample(new ProcSampler(settings.proc(), mounts), window,
                Duration.ofMillis(Math.max(100, window.toMillis() / 6)));
        return PassiveCheck.report(targets, snapshots, settings.sys(), start);
    }

    /**
     * A watcher that judges the passive signals of the last {@code window} at each
     * {@link PassiveWatch#sample()}; for a background thread during long phases.
     */
    public static PassiveWatch watch(List<Path> paths, Duration window) {
        ProbeSettings settings = ProbeSettings.of(ProbeSettings.DEFAULT_BUDGET);
        MountTable mounts = MountTable.read(settings.proc().resolve("self/mountinfo"));
        return new PassiveWatch(resolve(paths, mounts, settings.sys()), new ProcSampler(settings.proc(), mounts),
                settings.sys(), window);
    }

    private static List<Target> resolve(List<Path> paths, MountTable mounts, Path sys) {
        if (paths.isEmpty()) {
            throw new StowageException(ExitCode.USAGE, "no path to check", "name the directories to probe");
        }
        return Targets.resolve(paths, mounts, sys);
    }

    /**
     * The active probes: one thread per filesystem, so that checking the migration directory's disk
     * and the data-root's takes as long as the slower of the two, not both. Targets on a filesystem
     * already being probed wait for it (two probes at once would time each other's IO) and share
     * its thread's time.
     */
    private static List<TargetReport> activeAll(List<TargetReport> passive, ActiveProbe probe,
            Map<Path, ActiveProbe.Prepared> prepared, long deadline) {
        Map<Path, List<Integer>> byDir = new LinkedHashMap<>();
        for (int i = 0; i < passive.size(); i++) {
            byDir.computeIfAbsent(passive.get(i).target().probeDir(), dir -> new ArrayList<>()).add(i);
        }
        TargetReport[] reports = new TargetReport[passive.size()];
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Map.Entry<Path, List<Integer>> group : byDir.entrySet()) {
            ActiveProbe.Prepared first = prepared.remove(group.getKey());
            running.add(CompletableFuture.runAsync(() -> {
                int left = group.getValue().size();
                ActiveProbe.Prepared next = first;
                for (int index : group.getValue()) {
                    long millis = (deadline - System.nanoTime()) / 1_000_000 - REPORT_MARGIN_MILLIS;
                    reports[index] = active(passive.get(index), probe, next, millis / left--);
                    next = null;
                }
            }, task -> {
                Thread thread = new Thread(task, "stowage-active-probe");
                thread.setDaemon(true);
                thread.start();
            }));
        }
        try {
            CompletableFuture.allOf(running.toArray(new CompletableFuture[0])).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return List.of(reports);
    }

    private static TargetReport active(TargetReport passive, ActiveProbe probe, ActiveProbe.Prepared prepared,
            long millis) {
        List<Finding> findings = new ArrayList<>(passive.findings());
        if (prepared == null) {
            // a second target on a filesystem already probed: as before, probe it afresh
            prepared = probe.prepare(passive.target().probeDir());
        }
        if (passive.verdict() == Verdict.STALLED) {
            prepared.abandon();
            findings.add(Finding.note(passive.target().subject(), "active_write",
                    "active probe skipped: the passive signals already say stalled, and more IO would not help"));
            return withFindings(passive, Optional.empty(), findings);
        }
        if (millis < MIN_ACTIVE_MILLIS) {
            prepared.abandon();
            findings.add(Finding.note(passive.target().subject(), "active_write",
                    "active probe skipped: no time left in the budget (use a longer --duration)"));
            return withFindings(passive, Optional.empty(), findings);
        }
        ActiveResult result = probe.run(prepared, Duration.ofMillis(millis));
        findings.addAll(ActiveRules.assess(passive.target(), result));
        return withFindings(passive, Optional.of(result), findings);
    }

    private static TargetReport withFindings(TargetReport r, Optional<ActiveResult> active, List<Finding> findings) {
        return new TargetReport(r.target(), r.space(), r.errors(), r.activity(), active, findings);
    }

    private static List<Snapshot> sample(ProcSampler sampler, Duration window, Duration interval) {
        List<Snapshot> snapshots = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        snapshots.add(sampler.take());
        for (long next = start + interval.toNanos(); next <= end; next += interval.toNanos()) {
            LockSupport.parkNanos(next - System.nanoTime());
            snapshots.add(sampler.take());
        }
        return snapshots;
    }
}
