package dev.stowage.phase;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a migration goes: the storage driver, the data-root and the storage options the daemon
 * should run with afterwards, and the configuration file that says so. Recorded in the journal by
 * the first run; a rerun must ask for the same target.
 */
public record MigrationTarget(String driver, Path dataRoot, List<String> storageOpts, Path configFile) {
    public MigrationTarget {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(configFile, "configFile");
        storageOpts = List.copyOf(storageOpts == null ? List.of() : storageOpts);
        dataRoot = dataRoot == null ? null : dataRoot.toAbsolutePath().normalize();
    }

    public String describe() {
        return driver + (dataRoot == null ? "" : " on " + dataRoot)
                + (storageOpts.isEmpty() ? "" : " with " + String.join(",", storageOpts));
    }
}
