package dev.stowage.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to change. Empty means "leave as it is".
 *
 * @param storageOpts {@code key=value} options to set; one with the key of an existing option
 *     replaces it, others are added
 * @param clearStorageOpts drop every existing option first (e.g. the {@code dm.*} options of
 *     devicemapper when moving to overlay2: dockerd refuses options of another driver)
 */
public record StorageEdit(Optional<String> driver, Optional<String> dataRoot, List<String> storageOpts,
        boolean clearStorageOpts, ConfigHome home) {
    public StorageEdit {
        Objects.requireNonNull(driver);
        Objects.requireNonNull(dataRoot);
        storageOpts = List.copyOf(storageOpts);
        Objects.requireNonNull(home);
    }

    /**
     * A target as migrate has it: this driver, this data-root and exactly these options (the
     * configured ones are dropped, since another driver's options would stop dockerd).
     */
    public static StorageEdit target(String driver, String dataRoot, List<String> storageOpts) {
        return new StorageEdit(Optional.of(driver), Optional.of(dataRoot), storageOpts, true, ConfigHome.AUTO);
    }

    boolean changesOpts() {
        return clearStorageOpts || !storageOpts.isEmpty();
    }

    /** Whether it asks for any change at all. */
    public boolean isEmpty() {
        return driver.isEmpty() && dataRoot.isEmpty() && !changesOpts();
    }

    /** The key of a {@code key=value} option. */
    static String optKey(String opt) {
        int eq = opt.indexOf('=');
        return eq < 0 ? opt : opt.substring(0, eq);
    }
}
