package dev.stowage.phase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.archive.Compression;
import dev.stowage.archive.DevicePolicy;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.TreeDigest;
import dev.stowage.archive.TreeExtractor;
import dev.stowage.archive.TreeStats;
import dev.stowage.archive.UnsafeEntryException;
import dev.stowage.docker.DaemonClient;
import dev.stowage.fs.NoSpaceException;
import dev.stowage.journal.Session;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.model.VolumeRecord;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Recreates volumes through the API (same name, driver, labels, options) and extracts their data
 * into the new mountpoint, refusing any archive entry that would land outside it. A volume that
 * already exists is filled only if it is empty, and counts as present when its tree digest is the
 * exported one (a rerun after a finished import); one with other data that this import did not put
 * there is a conflict, reported and left alone.
 */
final class VolumeImport {
    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Session session;
    private final Reporter reporter;

    VolumeImport(DaemonClient daemon, MigrationDir dir, Session session, Reporter reporter) {
        this.daemon = daemon;
        this.dir = dir;
        this.session = session;
        this.reporter = reporter;
    }

    /** Returns the problems found (conflicts); with {@code dryRun}, only reports what it would do. */
    List<String> run(List<VolumeRecord> volumes, boolean dryRun) {
        return run(volumes, dryRun, DiskWatch.off());
    }

    /** As {@link #run(List, boolean)}; a stalled disk holds the next volume until it recovers. */
    List<String> run(List<VolumeRecord> volumes, boolean dryRun, DiskWatch watch) {
        List<String> problems = new ArrayList<>();
        for (VolumeRecord volume : volumes) {
            String unit = "import/volume/" + volume.name();
            watch.pace("volume " + volume.name());
            if (session.isDone(unit)) {
                reporter.emit(new Event.UnitDone(unit, volume.name(), "present", 0, Map.of()));
                continue;
            }
            Optional<JsonNode> existing = daemon.volume(volume.name());
            if (dryRun) {
                reporter.emit(new Event.UnitDone(unit, volume.name(), existing.isPresent() ? "exists" : "would-create",
                        volume.bytes(), Map.of("files", volume.files())));
                continue;
            }
            boolean ours = session.wasStarted(unit);
            if (existing.isPresent() && volume.holdsData() && !ours && !isEmpty(mountpoint(existing.get()))) {
                if (sameTree(volume, mountpoint(existing.get()))) {
                    // an earlier import (or the operator) already restored exactly this data
                    reporter.emit(new Event.UnitDone(unit, volume.name(), "present", 0, Map.of("files", volume.files())));
                    continue;
                }
                String problem = "volume " + volume.name() + " already exists on the target and holds data";
                problems.add(problem);
                reporter.emit(Event.Notice.warning(problem + "; it was left alone",
                        "remove it (docker volume rm " + volume.name() + ") if it is disposable, then import again"));
                continue;
            }
            session.started(unit, null);
            JsonNode created = existing.orElseGet(() -> daemon.createVolume(createBody(volume)));
            TreeStats stats = volume.holdsData() ? fill(volume, mountpoint(created), ours) : null;
            session.done(unit, null);
            reporter.emit(new Event.UnitDone(unit, volume.name(), existing.isPresent() ? "filled" : "created",
                    stats == null ? 0 : stats.contentBytes(), Map.of("files", stats == null ? 0 : stats.entries())));
        }
        return problems;
    }

    private TreeStats fill(VolumeRecord volume, Path mountpoint, boolean resumed) {
        try {
            if (resumed) {
                clear(mountpoint); // a crash mid-extraction left part of our own data: start over
            }
            try (InputStream in = BlobArchives.open(dir.blobs(), volume.data(), Compression.parse(volume.compression()))) {
                return TreeExtractor.extract(in, mountpoint, DevicePolicy.REFUSE);
            }
        } catch (UnsafeEntryException e) {
            throw new StowageException(e.exitCode(), "cannot restore volume " + volume.name() + ": " + e.getMessage(),
                    e.hint(), e);
        } catch (IOException e) {
            if (NoSpaceException.isNoSpace(e)) {
                throw new StowageException(ExitCode.NO_SPACE, "no space left under " + mountpoint + " while restoring"
                        + " volume " + volume.name(), "free space on that filesystem, then import again: the volumes"
                        + " done are kept, this one starts over", e);
            }
            throw new StowageException(ExitCode.VERIFY, "cannot restore volume " + volume.name() + " into "
                    + mountpoint + ": " + e.getMessage(), "check the target filesystem, then import again", e);
        }
    }

    private static boolean sameTree(VolumeRecord volume, Path mountpoint) {
        try {
            return TreeDigest.of(mountpoint).toString().equals(volume.treeDigest());
        } catch (IOException e) {
            return false; // unreadable: reported as a conflict, and verify says why
        }
    }

    static ObjectNode createBody(VolumeRecord volume) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("Name", volume.name());
        body.put("Driver", volume.driver());
        body.set("DriverOpts", Json.mapper().valueToTree(volume.options()));
        body.set("Labels", Json.mapper().valueToTree(volume.labels()));
        return body;
    }

    static Path mountpoint(JsonNode volume) {
        return Path.of(volume.path("Mountpoint").asText());
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                deleteTree(entry);
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
        Files.delete(path);
    }
}
