package dev.stowage.phase;

import dev.stowage.probe.EarlySamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run checks before it writes, and how it reacts to a disk that stalls on the way.
 *
 * @param ignoreDiskHealth go ahead although the disk health gate says stalled ({@code --ignore-disk-health})
 * @param spaceCheck refuse to start when the space plan does not fit; off only with the hidden
 *     {@code --no-space-check}, which exists to test how a run stops when a disk fills anyway
 * @param healthBudget how long the gate's health check may take: shorter than {@code stowage
 *     probe}'s 10 s, because it delays every run ({@code --health-budget})
 * @param probeCgroup a cgroup-v1 directory for the gate's active probe process (env
 *     {@code STOWAGE_PROBE_CGROUP}): a test hook, as for {@code stowage probe}
 * @param stallPatience how long a run waits, between two units of work, for a disk that stalled
 *     mid-run before it stops (exit 11; a rerun carries on)
 * @param earlySamples the passive disk signals sampled since the command started, for the gate
 *     (see {@link EarlySamples}); empty: the gate samples its own window
 */
public record Preflight(boolean ignoreDiskHealth, boolean spaceCheck, Duration healthBudget,
        Optional<Path> probeCgroup, Duration stallPatience, Optional<EarlySamples> earlySamples) {
    public static final Duration DEFAULT_HEALTH_BUDGET = Duration.ofSeconds(3);
    public static final Duration DEFAULT_STALL_PATIENCE = Duration.ofMinutes(5);

    public Preflight {
        Objects.requireNonNull(healthBudget, "healthBudget");
        Objects.requireNonNull(probeCgroup, "probeCgroup");
        Objects.requireNonNull(stallPatience, "stallPatience");
        Objects.requireNonNull(earlySamples, "earlySamples");
    }

    /** Gate on, space check on, the default budget and patience. */
    public static Preflight defaults() {
        return new Preflight(false, true, DEFAULT_HEALTH_BUDGET, Optional.empty(), DEFAULT_STALL_PATIENCE,
                Optional.empty());
    }
}
