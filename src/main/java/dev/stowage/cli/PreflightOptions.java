package dev.stowage.cli;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.phase.Preflight;
import dev.stowage.probe.EarlySamples;
import dev.stowage.probe.ProbeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The preflight options of the commands that write (export, import, migrate): the disk health gate
 * and the space check. {@code --no-space-check} is hidden: it exists so that tests can push a run
 * past a plan that does not fit and watch it stop cleanly when the disk fills.
 */
public final class PreflightOptions {
    @Option(names = "--ignore-disk-health",
            description = "Go ahead even when the disk health check before the run says a disk is stalled"
                    + " (otherwise the run refuses with exit code 11). A degraded disk only gets a warning.")
    boolean ignoreDiskHealth;

    @Option(names = "--health-budget", paramLabel = "TIME", converter = ProbeCommand.DurationConverter.class,
            description = "How long the disk health check before the run may take, e.g. 3s (at least 2s)."
                    + " Default: 3s; `stowage probe` takes 10s for a closer look.")
    Duration healthBudget = Preflight.DEFAULT_HEALTH_BUDGET;

    @Option(names = "--no-space-check", hidden = true,
            description = "Go ahead although the space plan does not fit (for tests of a disk that fills mid-run).")
    boolean noSpaceCheck;

    private EarlySamples earlySamples;

    /**
     * Starts sampling the passive disk signals for the gate now: first thing in a command, so that
     * its start-up and its questions to the daemon overlap the gate's passive window.
     */
    public void startEarlySamples() {
        earlySamples = EarlySamples.start();
    }

    /** What the options ask for; the gate's probe process joins $STOWAGE_PROBE_CGROUP if set (a test hook). */
    public Preflight preflight() {
        if (healthBudget.compareTo(ProbeSettings.MIN_BUDGET) < 0) {
            throw new StowageException(ExitCode.USAGE, "--health-budget " + healthBudget.toMillis() + "ms is too short",
                    "give the disk health check at least 2s to tell a slow disk from a stuck one");
        }
        String cgroup = System.getenv(ProbeCommand.CGROUP_ENV);
        return new Preflight(ignoreDiskHealth, !noSpaceCheck, healthBudget,
                cgroup == null || cgroup.isBlank() ? Optional.empty() : Optional.of(Path.of(cgroup)),
                Preflight.DEFAULT_STALL_PATIENCE, Optional.ofNullable(earlySamples));
    }
}
