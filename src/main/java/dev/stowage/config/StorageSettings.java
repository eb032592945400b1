package dev.stowage.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The storage settings dockerd will start with, from daemon.json and its flags together.
 *
 * @param driver empty when nothing sets one: dockerd then picks the first that works here
 * @param dataRoot empty when nothing sets one: dockerd uses {@link #DEFAULT_DATA_ROOT}
 */
public record StorageSettings(Optional<String> driver, Optional<String> dataRoot, List<String> storageOpts) {
    public static final String DEFAULT_DATA_ROOT = "/var/lib/docker";

    public StorageSettings {
        storageOpts = List.copyOf(storageOpts);
    }

    public String dataRootOrDefault() {
        return dataRoot.orElse(DEFAULT_DATA_ROOT);
    }

    /** For JSON output: {@code driver}, {@code data_root}, {@code storage_opts}. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("driver", driver.orElse(null));
        fields.put("data_root", dataRootOrDefault());
        fields.put("storage_opts", storageOpts);
        return fields;
    }

    /** {@code overlay2 at /var/lib/docker (options: a=b)}. */
    public String describe() {
        return driver.orElse("(dockerd's choice of driver)") + " at " + dataRootOrDefault()
                + (storageOpts.isEmpty() ? "" : " (options: " + String.join(", ", storageOpts) + ")");
    }
}
