package dev.stowage.config;

import java.util.List;

/** The three storage settings stowage edits, with their daemon.json key and dockerd flags. */
enum StorageSetting {
    DRIVER("storage-driver", "--storage-driver", List.of("storage-driver")),
    /** {@code graph} is the old name of both the key and the flag ({@code -g}); dockerd refuses both names at once. */
    DATA_ROOT("data-root", "--data-root", List.of("data-root", "graph")),
    OPTS("storage-opts", "--storage-opt", List.of("storage-opt"));

    static final String LEGACY_DATA_ROOT_KEY = "graph";

    private final String key;
    private final String flag;
    private final List<String> flagNames;

    StorageSetting(String key, String flag, List<String> flagNames) {
        this.key = key;
        this.flag = flag;
        this.flagNames = flagNames;
    }

    /** The daemon.json key. */
    String key() {
        return key;
    }

    /** The flag stowage writes. */
    String flag() {
        return flag;
    }

    /** Whether a flag of this long name sets this setting. */
    boolean setBy(String flagName) {
        return flagNames.contains(flagName);
    }

    /** The daemon.json keys that hold it, the deprecated one included. */
    List<String> keys() {
        return this == DATA_ROOT ? List.of(key, LEGACY_DATA_ROOT_KEY) : List.of(key);
    }

    static StorageSetting ofFlag(String flagName) {
        for (StorageSetting s : values()) {
            if (s.setBy(flagName)) {
                return s;
            }
        }
        return null;
    }
}
