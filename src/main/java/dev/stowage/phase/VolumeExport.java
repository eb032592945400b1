package dev.stowage.phase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.archive.Compression;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.TreeDigest;
import dev.stowage.archive.TreeEstimate;
import dev.stowage.archive.TreeStats;
import dev.stowage.archive.TreeWriter;
import dev.stowage.docker.DaemonClient;
import dev.stowage.journal.Session;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.model.VolumeRecord;
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
 * Exports every volume: local volumes as a tar of their mountpoint (owners, modes, xattrs, ACLs,
 * hardlinks, sparse files...) stored as a blob, with a digest of the tree to verify the import
 * against. Volumes of other drivers, and local volumes that mount something else (device or type
 * options, e.g. NFS), are recorded and recreated, with a warning that their data is not ours.
 */
final class VolumeExport {
    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Session session;
    private final Reporter reporter;
    private final Compression compression;

    VolumeExport(DaemonClient daemon, MigrationDir dir, Session session, Reporter reporter, Compression compression) {
        this.daemon = daemon;
        this.dir = dir;
        this.session = session;
        this.reporter = reporter;
        this.compression = compression;
    }

    /**
     * The volumes, and what the archives of those still to export will take: {@code estimate} is
     * their bytes as stored (compressed when compressing), {@code toWrite} counts them.
     */
    record Plan(List<JsonNode> volumes, long estimate, Amount toWrite, TreeEstimate trees) {
    }

    /** Nothing to export: for {@code --images-only}. */
    static Plan none() {
        return new Plan(List.of(), 0, Amount.NONE, TreeEstimate.EMPTY);
    }

    Plan plan() {
        List<JsonNode> volumes = daemon.volumes();
        TreeEstimate trees = TreeEstimate.EMPTY;
        long count = 0;
        long stored = 0;
        for (JsonNode volume : volumes) {
            if (holdsData(volume) && !session.isDone(unit(volume))) {
                TreeEstimate tree = estimate(Path.of(volume.path("Mountpoint").asText()));
                trees = trees.plus(tree);
                stored += tree.storedBytes(compression);
                count++;
            }
        }
        return new Plan(volumes, stored, new Amount(count, stored, count), trees);
    }

    List<VolumeRecord> run(Plan plan) {
        return run(plan, DiskWatch.off());
    }

    /** Exports each volume; a stalled disk holds the next one until it recovers. */
    List<VolumeRecord> run(Plan plan, DiskWatch watch) {
        List<VolumeRecord> records = new ArrayList<>();
        for (JsonNode volume : plan.volumes()) {
            watch.pace("volume " + volume.path("Name").asText());
            records.add(export(volume));
        }
        return records;
    }

    private VolumeRecord export(JsonNode volume) {
        String name = volume.path("Name").asText();
        String unit = unit(volume);
        Optional<VolumeRecord> done = session.doneData(unit).map(VolumeExport::fromJson)
                .filter(r -> !r.holdsData() || dir.blobs().contains(r.data().digest()));
        if (done.isPresent()) {
            reporter.emit(new Event.UnitDone(unit, name, "reused", done.get().bytes(), Map.of("files", done.get().files())));
            return done.get();
        }
        String driver = volume.path("Driver").asText("local");
        Map<String, String> labels = strings(volume.path("Labels"));
        Map<String, String> options = strings(volume.path("Options"));
        boolean anonymous = ContainerBlueprint.isAnonymousVolume(name);
        if (!holdsData(volume)) {
            reporter.emit(Event.Notice.warning("volume " + name + " (driver " + driver + (options.isEmpty() ? "" : ", options "
                    + options) + ") is recorded and will be recreated, but its data is the driver's to keep",
                    "make sure the data behind it (e.g. the NFS export or device) is reachable from the target"));
            VolumeRecord record = new VolumeRecord(name, driver, labels, options, anonymous, null, null, null, 0, 0);
            session.done(unit, Json.mapper().valueToTree(record));
            return record;
        }
        Path mountpoint = Path.of(volume.path("Mountpoint").asText());
        session.started(unit, null);
        try {
            BlobArchives.Stored<TreeStats> stored = BlobArchives.store(dir.blobs(), compression,
                    out -> TreeWriter.write(mountpoint, out));
            TreeStats stats = stored.result();
            if (!stats.changedWhileRead().isEmpty()) {
                reporter.emit(Event.Notice.warning("volume " + name + " changed while it was read: "
                        + String.join(", ", stats.changedWhileRead()), "is a container still writing to it? export without --live"));
            }
            String treeDigest = TreeDigest.of(mountpoint).toString();
            VolumeRecord record = new VolumeRecord(name, driver, labels, options, anonymous, stored.blob(),
                    compression.label(), treeDigest, stats.entries(), stats.contentBytes());
            session.done(unit, Json.mapper().valueToTree(record));
            reporter.emit(new Event.UnitDone(unit, name, "exported", stats.contentBytes(), Map.of("files",
                    stats.entries(), "stored_bytes", stored.blob().size(), "compression", compression.label())));
            return record;
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot read volume " + name + " at " + mountpoint + ": "
                    + e.getMessage(), "run stowage as root on the Docker host itself", e);
        }
    }

    static String unit(JsonNode volume) {
        return "export/volume/" + volume.path("Name").asText();
    }

    /** Local volumes without device/type options keep their data under their mountpoint. */
    static boolean holdsData(JsonNode volume) {
        JsonNode options = volume.path("Options");
        return "local".equals(volume.path("Driver").asText("local"))
                && !options.hasNonNull("device") && !options.hasNonNull("type")
                && !volume.path("Mountpoint").asText("").isEmpty();
    }

    private TreeEstimate estimate(Path root) {
        try {
            return TreeEstimate.of(root, compression);
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot read volume data at " + root + ": " + e.getMessage(),
                    "run stowage as root on the Docker host itself", e);
        }
    }

    static VolumeRecord fromJson(JsonNode json) {
        try {
            return Json.mapper().treeToValue(json, VolumeRecord.class);
        } catch (JsonProcessingException e) {
            throw new StowageException(ExitCode.JOURNAL, "unreadable volume record in the journal: " + e.getMessage(),
                    "move journal.jsonl aside to export from scratch", e);
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        if (object != null && object.isObject()) {
            object.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        }
        return values;
    }
}
