package dev.stowage.cli;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.phase.Preflight;
import dev.stowage.probe.EarlySamples;
import dev.stowage.probe.ProbeProcesses;
import dev.stowage.probe.ProbeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The preflight options of the commands that write (export, import, migrate): the disk health gate
 * and the space check. {@code --no-space-check} is hidden: it exists so that tests can push a run
 * past a plan that does not fit and watch it stop cleanly when the disk fills.
 */
public final class PreflightOptions {
    private static final Set<String> GATED = Set.of("export", "import", "migrate");
    private static final Set<String> NOT_A_RUN = Set.of("-h", "--help", "-V", "--version");

    /** What {@link #startEarly} started, for the command to take. */
    private static EarlySamples startedBeforeParsing;

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
     * Called by {@link Main} before the command line is parsed (picocli takes 0.1-0.2 s to build its
     * model) when it names a command with a disk health gate: starts the gate's passive sampling and
     * its two probe processes (the migration directory's filesystem and the data-root's, usually)
     * so that they run while stowage starts up and asks the daemon for its facts.
     */
    static void startEarly(String[] args) {
        List<String> words = List.of(args);
        if (words.stream().noneMatch(GATED::contains) || words.stream().anyMatch(NOT_A_RUN::contains)) {
            return;
        }
        synchronized (PreflightOptions.class) {
            startedBeforeParsing = EarlySamples.start();
        }
        ProbeProcesses.prestart(2);
    }

    /**
     * Starts sampling the passive disk signals for the gate now (or takes what {@link #startEarly}
     * started): first thing in a command, so that its start-up and its questions to the daemon
     * overlap the gate's passive window.
     */
    public void startEarlySamples() {
        synchronized (PreflightOptions.class) {
            earlySamples = startedBeforeParsing != null ? startedBeforeParsing : EarlySamples.start();
            startedBeforeParsing = null;
        }
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
