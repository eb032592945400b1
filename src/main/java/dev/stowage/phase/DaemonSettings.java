package dev.stowage.phase;

import dev.stowage.report.Reporter;

/**
 * Changes the daemon's storage settings (driver, data-root, storage options) in its configuration,
 * checked and idempotent: applying the same target twice changes nothing the second time.
 */
public interface DaemonSettings {
    /** Refuses (exit code 3) a target that would not work, before anything is touched. */
    void validate(MigrationTarget target, Reporter reporter);

    /** Writes the configuration for {@code target}, backing up what it replaces. */
    void apply(MigrationTarget target, Reporter reporter);
}
