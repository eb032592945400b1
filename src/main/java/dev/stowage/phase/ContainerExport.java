package dev.stowage.phase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.archive.Compression;
import dev.stowage.archive.LayerArchive;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.TreeStats;
import dev.stowage.archive.TreeEstimate;
import dev.stowage.docker.DaemonClient;
import dev.stowage.journal.Session;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ContainerChange;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.model.WritableLayer;
import dev.stowage.plan.Amount;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exports every container, whatever its state: its configuration (verbatim from the engine), its
 * network attachments, and its writable layer as a layer tar of the changes since its image —
 * read from the storage driver's own directory on the host, never by running anything inside the
 * container, and never copying the image underneath.
 */
final class ContainerExport {
    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Session session;
    private final Reporter reporter;
    private final Compression compression;

    ContainerExport(DaemonClient daemon, MigrationDir dir, Session session, Reporter reporter, Compression compression) {
        this.daemon = daemon;
        this.dir = dir;
        this.session = session;
        this.reporter = reporter;
        this.compression = compression;
    }

    /**
     * What the writable-layer archives still to write will take. On overlay2 each upper directory
     * (which holds exactly the changes) is walked and sampled like a volume; on drivers whose
     * writable layer is a full copy, the engine's count of changed bytes (SizeRw) stands in,
     * uncompressed. Every container still to export is counted, changed or not.
     */
    Amount plan(List<ContainerInfo> containers) {
        List<ContainerInfo> left = containers.stream().filter(c -> !session.isDone(unit(c))).toList();
        if (left.isEmpty()) {
            return Amount.NONE;
        }
        if (!left.stream().allMatch(c -> "overlay2".equals(c.storageDriver()) && c.upperDir() != null)) {
            return new Amount(left.size(), daemon.writableLayerBytes(), left.size());
        }
        long bytes = 0;
        for (ContainerInfo container : left) {
            try {
                bytes += TreeEstimate.of(Path.of(container.upperDir()), compression).storedBytes(compression);
            } catch (IOException e) {
                throw new StowageException(ExitCode.PRECHECK, "cannot read the writable layer of container "
                        + container.name() + " at " + container.upperDir() + ": " + e.getMessage(),
                        "run stowage as root on the Docker host itself", e);
            }
        }
        return new Amount(left.size(), bytes, left.size());
    }

    /**
     * @param stopped container ID → its state before the export stopped it
     */
    List<ContainerRecord> run(Map<String, String> stopped) {
        return run(stopped, DiskWatch.off());
    }

    /** Exports each container; a stalled disk holds the next one until it recovers. */
    List<ContainerRecord> run(Map<String, String> stopped, DiskWatch watch) {
        List<ContainerRecord> records = new ArrayList<>();
        for (ContainerInfo container : daemon.containers()) {
            watch.pace("container " + container.name());
            records.add(export(container, stopped));
        }
        return records;
    }

    private static String unit(ContainerInfo container) {
        return "export/container/" + container.id();
    }

    private ContainerRecord export(ContainerInfo container, Map<String, String> stopped) {
        String unit = unit(container);
        Optional<ContainerRecord> done = session.doneData(unit).map(ContainerExport::fromJson)
                .filter(r -> r.layer() == null || dir.blobs().contains(r.layer().digest()));
        if (done.isPresent()) {
            reporter.emit(new Event.UnitDone(unit, container.name(), "reused", 0, Map.of("state", done.get().state())));
            return done.get();
        }
        boolean stoppedByExport = stopped.containsKey(container.id());
        String state = stoppedByExport ? stopped.get(container.id()) : container.status();
        session.started(unit, null);
        List<ContainerChange> changes = daemon.changes(container.id());
        BlobRef layer = null;
        long files = 0;
        if (!changes.isEmpty()) {
            WritableLayer source = daemon.writableLayer(container);
            try {
                BlobArchives.Stored<TreeStats> stored = BlobArchives.store(dir.blobs(), compression,
                        out -> LayerArchive.write(source, changes, out));
                layer = stored.blob();
                files = stored.result().entries();
                if (!stored.result().changedWhileRead().isEmpty()) {
                    reporter.emit(Event.Notice.warning("container " + container.name() + ": changed paths that could"
                            + " not be read were left out of its writable layer: "
                            + String.join(", ", stored.result().changedWhileRead()),
                            "is it still running (--live)? A name that is not valid UTF-8 cannot be matched with"
                                    + " the engine's list of changes; rename it, then export again"));
                }
            } catch (IOException e) {
                throw new StowageException(ExitCode.PRECHECK, "cannot read the writable layer of container "
                        + container.name() + " at " + source.dir() + ": " + e.getMessage(),
                        "run stowage as root on the Docker host itself", e);
            }
        }
        ContainerRecord record = ContainerBlueprint.record(container, state, container.exitCode(), stoppedByExport,
                layer, compression.label());
        session.done(unit, Json.mapper().valueToTree(record));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", state);
        fields.put("changes", changes.size());
        fields.put("layer_entries", files);
        fields.put("networks", record.endpoints().size());
        reporter.emit(new Event.UnitDone(unit, container.name(), "exported", layer == null ? 0 : layer.size(), fields));
        return record;
    }

    static ContainerRecord fromJson(JsonNode json) {
        try {
            return Json.mapper().treeToValue(json, ContainerRecord.class);
        } catch (JsonProcessingException e) {
            throw new StowageException(ExitCode.JOURNAL, "unreadable container record in the journal: " + e.getMessage(),
                    "move journal.jsonl aside to export from scratch", e);
        }
    }
}
