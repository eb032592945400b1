package dev.stowage.phase;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.journal.Journal;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.probe.DiskHealth;
import dev.stowage.probe.Finding;
import dev.stowage.probe.HealthReport;
import dev.stowage.probe.ProbeSettings;
import dev.stowage.probe.Verdict;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The disk health gate that export, import and migrate pass before they write: the probe's check
 * (passive signals, then a small active probe) on the filesystems under their paths, within
 * {@link Preflight#healthBudget()}. Stalled refuses with exit code 11, unless the operator said
 * {@code --ignore-disk-health}; degraded warns and goes on; healthy says so in one line.
 *
 * <pre>{@code
 * new HealthGate(reporter, preflight).require("migrate", List.of(dataRoot, migrationDir), journal);
 * }</pre>
 */
public final class HealthGate {
    private final Reporter reporter;
    private final Preflight preflight;

    public HealthGate(Reporter reporter, Preflight preflight) {
        this.reporter = reporter;
        this.preflight = preflight;
    }

    /**
     * Checks the disks under {@code paths} and records the verdict in {@code journal} (unit
     * {@code health/gate}; null for none).
     *
     * @throws StowageException exit code 11 when a disk is stalled and the gate is not ignored
     */
    public HealthReport require(String operation, List<Path> paths, Journal journal) {
        return judge(operation, check(paths), journal);
    }

    /**
     * Starts the check in the background, so that work which adds no disk IO (asking the daemon what
     * it holds) overlaps the probe's sampling window; {@link Pending#require} waits for the verdict.
     */
    public Pending start(String operation, List<Path> paths, Journal journal) {
        java.util.concurrent.CompletableFuture<HealthReport> check =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> check(paths));
        return () -> judge(operation, check.join(), journal);
    }

    /** A started gate. */
    @FunctionalInterface
    public interface Pending {
        /** Waits for the verdict: as {@link HealthGate#require}. */
        HealthReport require();
    }

    private HealthReport check(List<Path> paths) {
        ProbeSettings settings = ProbeSettings.of(preflight.healthBudget()).withChildCgroup(preflight.probeCgroup())
                .forGate();
        return DiskHealth.check(paths, settings, preflight.earlySamples());
    }

    private HealthReport judge(String operation, HealthReport report, Journal journal) {
        if (journal != null) {
            journal.note("health/gate", record(operation, report));
        }
        Verdict verdict = report.verdict();
        String checked = String.format(Locale.ROOT, "(%d filesystem%s, checked in %.1f s)", report.targets().size(),
                report.targets().size() == 1 ? "" : "s", report.seconds());
        if (verdict == Verdict.HEALTHY) {
            reporter.emit(Event.Notice.info("disk health: healthy " + checked));
            return report;
        }
        List<Finding> problems = report.problems();
        if (verdict == Verdict.STALLED && !preflight.ignoreDiskHealth()) {
            throw new StowageException(ExitCode.DISK_STALLED, operation + " refused: the disk is stalled "
                    + checked + ": " + describe(problems), remedy(problems) + "; check again with `stowage probe`,"
                    + " or pass --ignore-disk-health to " + operation + " anyway");
        }
        String consequence = verdict == Verdict.STALLED ? "going ahead because of --ignore-disk-health"
                : "going ahead; expect it to run slower";
        reporter.emit(Event.Notice.warning("disk health: " + verdict.word() + " " + checked + ": " + describe(problems)
                + "; " + consequence, remedy(problems)));
        return report;
    }

    static String describe(List<Finding> problems) {
        return problems.stream().map(f -> f.subject() + ": " + forGate(f.message())).collect(Collectors.joining("; "));
    }

    static String remedy(List<Finding> problems) {
        return problems.stream().map(Finding::remedy).filter(r -> r != null && !r.isBlank()).findFirst()
                .map(HealthGate::forGate).orElse("wait for the disk to recover");
    }

    /** The probe's findings name its own option for the time budget; here the budget is --health-budget. */
    private static String forGate(String text) {
        return text.replace("--duration", "--health-budget");
    }

    static ObjectNode record(String operation, HealthReport report) {
        ObjectNode data = Json.mapper().createObjectNode().put("operation", operation)
                .put("verdict", report.verdict().word()).put("seconds", Math.round(report.seconds() * 100) / 100.0);
        ArrayNode problems = data.putArray("problems");
        report.problems().forEach(f -> problems.addObject().put("level", f.level().word()).put("subject", f.subject())
                .put("signal", f.signal()).put("message", f.message()));
        return data;
    }
}
