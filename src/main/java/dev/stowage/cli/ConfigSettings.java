package dev.stowage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.fs.AtomicFile;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.phase.DaemonSettings;
import dev.stowage.phase.MigrationTarget;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The daemon.json edit a migration makes: storage-driver, data-root and storage-opts, every other
 * key kept, the old file backed up once, the new one written atomically.
 */
final class ConfigSettings implements DaemonSettings {
    @Override
    public void validate(MigrationTarget target, Reporter reporter) {
        Path file = target.configFile();
        if (Files.exists(file)) {
            read(file);
        }
    }

    @Override
    public void apply(MigrationTarget target, Reporter reporter) {
        Path file = target.configFile();
        try {
            ObjectNode config = Files.exists(file) ? read(file) : Json.mapper().createObjectNode();
            ObjectNode wanted = config.deepCopy();
            wanted.put("storage-driver", target.driver());
            if (target.dataRoot() != null) {
                wanted.put("data-root", target.dataRoot().toString());
            }
            if (!target.storageOpts().isEmpty()) {
                ArrayNode opts = wanted.putArray("storage-opts");
                target.storageOpts().forEach(opts::add);
            } else {
                wanted.remove("storage-opts");
            }
            if (wanted.equals(config)) {
                return;
            }
            Path backup = file.resolveSibling(file.getFileName() + ".stowage-backup");
            if (Files.exists(file) && !Files.exists(backup)) {
                Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
            }
            AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(wanted));
            reporter.emit(Event.Notice.info("wrote " + file + " (storage-driver " + target.driver()
                    + (target.dataRoot() == null ? "" : ", data-root " + target.dataRoot()) + "); the old one is " + backup));
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }

    private static ObjectNode read(Path file) {
        try {
            return (ObjectNode) Json.mapper().readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
            throw new StowageException(ExitCode.PRECHECK, file + " is not a JSON object: " + e.getMessage(),
                    "fix the file; dockerd would not start with it either", e);
        }
    }
}
