package dev.stowage.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stowage.model.Precheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out the new content of daemon.json and /etc/sysconfig/docker-storage for one edit. Each
 * setting ends up in exactly one of them, its <em>home</em>: a copy left in the other file would
 * make dockerd refuse to start, so it is removed there, and the operator is told.
 */
final class ChangePlanner {
    private final Path jsonPath;
    private final Path storagePath;
    private final boolean storageInUse;
    private final List<Precheck> findings = new ArrayList<>();
    private final List<String> jsonChanges = new ArrayList<>();
    private final List<String> storageChanges = new ArrayList<>();
    private JsonDocument json;
    private StorageSysconfig storage;
    private boolean sysconfig;

    ChangePlanner(Path jsonPath, JsonDocument json, Path storagePath, StorageSysconfig storage, boolean storageInUse) {
        this.jsonPath = jsonPath;
        this.json = json;
        this.storagePath = storagePath;
        this.storage = storage;
        this.storageInUse = storageInUse;
    }

    JsonDocument json() {
        return json;
    }

    StorageSysconfig storage() {
        return storage;
    }

    List<String> jsonChanges() {
        return jsonChanges;
    }

    List<String> storageChanges() {
        return storageChanges;
    }

    List<Precheck> findings() {
        return findings;
    }

    /** Whether the driver and its options go to docker-storage rather than daemon.json. */
    boolean sysconfigHome() {
        return sysconfig;
    }

    void plan(StorageEdit edit) {
        sysconfig = edit.home() == ConfigHome.SYSCONFIG || (edit.home() == ConfigHome.AUTO && storageInUse);
        if (edit.home() == ConfigHome.SYSCONFIG && !storageInUse) {
            findings.add(Precheck.blocker(storagePath.toString(), "config_home", "dockerd's command line does not take "
                    + StorageSysconfig.VARIABLE + " from " + storagePath + ", so settings written there would have"
                    + " no effect", "use --write-to daemon-json (or auto)"));
            return;
        }
        if (sysconfig && edit.home() == ConfigHome.AUTO) {
            findings.add(Precheck.ok(storagePath.toString(), "config_home", "dockerd takes " + StorageSysconfig.VARIABLE
                    + " from " + storagePath + ": the driver and its options go there"));
        }
        for (StorageSetting setting : StorageSetting.values()) {
            boolean toStorage = sysconfig && (setting != StorageSetting.DATA_ROOT || storage.has(setting));
            Optional<List<String>> wanted = wanted(setting, edit);
            if (wanted.isPresent()) {
                place(setting, wanted.get(), toStorage);
            } else {
                reconcile(setting, toStorage);
            }
        }
    }

    /** The values the edit asks for, or empty when it leaves the setting alone. */
    private Optional<List<String>> wanted(StorageSetting setting, StorageEdit edit) {
        switch (setting) {
            case DRIVER:
                return edit.driver().map(List::of);
            case DATA_ROOT:
                return edit.dataRoot().map(List::of);
            default:
                if (!edit.changesOpts()) {
                    return Optional.empty();
                }
                Map<String, String> byKey = new LinkedHashMap<>();
                if (!edit.clearStorageOpts()) {
                    jsonValues(setting).forEach(o -> byKey.put(StorageEdit.optKey(o), o));
                    storageValues(setting).forEach(o -> byKey.put(StorageEdit.optKey(o), o));
                }
                edit.storageOpts().forEach(o -> byKey.put(StorageEdit.optKey(o), o));
                return Optional.of(List.copyOf(byKey.values()));
        }
    }

    /** Writes the setting to its home and removes it from the other file; no values means unset. */
    private void place(StorageSetting setting, List<String> values, boolean toStorage) {
        List<String> oldValues = jsonValues(setting).isEmpty() ? storageValues(setting) : jsonValues(setting);
        String change = setting.key() + ": " + show(oldValues) + " -> " + show(values);
        if (toStorage) {
            StorageSysconfig next = storage.with(setting, values);
            if (next != storage) {
                storage = next;
                storageChanges.add(change);
            }
            removeFromJson(setting, "moved to " + StorageSysconfig.VARIABLE + " in " + storagePath);
        } else {
            if (values.isEmpty()) {
                for (String key : setting.keys()) {
                    if (json.has(key)) {
                        json = json.without(key);
                        jsonChanges.add(change);
                    }
                }
            } else {
                JsonNode node = setting == StorageSetting.OPTS ? array(values) : JsonNodeFactory.instance.textNode(values.get(0));
                JsonDocument next = json.with(setting.key(), node);
                if (next != json) {
                    json = next;
                    jsonChanges.add(change);
                }
                if (setting == StorageSetting.DATA_ROOT && json.has(StorageSetting.LEGACY_DATA_ROOT_KEY)) {
                    json = json.without(StorageSetting.LEGACY_DATA_ROOT_KEY);
                    jsonChanges.add("graph: removed (the old name of data-root; dockerd refuses both)");
                }
            }
            removeFromStorage(setting, "moved to " + jsonPath);
        }
    }

    /** A setting the edit leaves alone, but that is in both files: one copy goes. */
    private void reconcile(StorageSetting setting, boolean toStorage) {
        List<String> inJson = jsonValues(setting);
        List<String> inStorage = storageValues(setting);
        if (inJson.isEmpty() || inStorage.isEmpty()) {
            return;
        }
        if (!inJson.equals(inStorage)) {
            findings.add(Precheck.blocker(setting.key(), "config_duplicate", setting.key() + " is " + show(inJson)
                    + " in " + jsonPath + " and " + show(inStorage) + " in " + storagePath
                    + "; dockerd refuses to start with both", "choose one with --"
                    + (setting == StorageSetting.OPTS ? "storage-opt (or --clear-storage-opts)" : setting.flag().substring(2))));
            return;
        }
        if (toStorage) {
            removeFromJson(setting, "also in " + storagePath + ", kept there");
        } else {
            removeFromStorage(setting, "also in " + jsonPath + ", kept there");
        }
    }

    private void removeFromJson(StorageSetting setting, String why) {
        for (String key : setting.keys()) {
            if (json.has(key)) {
                json = json.without(key);
                jsonChanges.add(key + ": removed (" + why + ")");
                findings.add(Precheck.ok(key, "config_move", "\"" + key + "\" " + why + ", out of " + jsonPath
                        + ": the same setting in two places stops dockerd"));
            }
        }
    }

    private void removeFromStorage(StorageSetting setting, String why) {
        if (storageInUse && storage.has(setting)) {
            storage = storage.without(setting);
            storageChanges.add(setting.flag() + ": removed (" + why + ")");
            findings.add(Precheck.ok(setting.flag(), "config_move", setting.flag() + " " + why + ", out of "
                    + StorageSysconfig.VARIABLE + " in " + storagePath + ": the same setting in two places stops dockerd"));
        }
    }

    private List<String> jsonValues(StorageSetting setting) {
        for (String key : setting.keys()) {
            Optional<JsonNode> node = json.get(key);
            if (node.isPresent()) {
                List<String> values = new ArrayList<>();
                if (node.get().isArray()) {
                    node.get().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(node.get().asText());
                }
                return values;
            }
        }
        return List.of();
    }

    private List<String> storageValues(StorageSetting setting) {
        return storageInUse ? storage.values(setting) : List.of();
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static String show(List<String> values) {
        return values.isEmpty() ? "(unset)" : values.size() == 1 ? values.get(0) : values.toString();
    }
}
