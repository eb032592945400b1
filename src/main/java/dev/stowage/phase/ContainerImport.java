package dev.stowage.phase;

import dev.stowage.archive.Compression;
import dev.stowage.archive.LayerArchive;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.UnsafeEntryException;
import dev.stowage.docker.DaemonClient;
import dev.stowage.journal.Journal;
import dev.stowage.journal.Session;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.StowageException;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recreates containers under their names, replays their writable layers into the new containers'
 * layers, attaches their networks, and then starts those that were running. A container of the same
 * name that this import did not create is a conflict: reported, never replaced.
 */
final class ContainerImport {
    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Journal journal;
    private final Session session;
    private final Reporter reporter;

    ContainerImport(DaemonClient daemon, MigrationDir dir, Journal journal, Session session, Reporter reporter) {
        this.daemon = daemon;
        this.dir = dir;
        this.journal = journal;
        this.session = session;
        this.reporter = reporter;
    }

    /** Creates what is missing; returns the problems (conflicts). */
    List<String> create(List<ContainerRecord> containers, boolean dryRun) {
        return create(containers, dryRun, DiskWatch.off());
    }

    /** As {@link #create(List, boolean)}; a stalled disk holds the next container until it recovers. */
    List<String> create(List<ContainerRecord> containers, boolean dryRun, DiskWatch watch) {
        Map<String, String> namesById = new LinkedHashMap<>();
        containers.forEach(c -> namesById.put(c.id(), c.name()));
        Map<Digest, List<String>> images = daemon.imageTags();
        List<String> problems = new ArrayList<>();
        for (ContainerRecord container : ContainerBlueprint.creationOrder(containers)) {
            watch.pace("container " + container.name());
            String unit = unit(container);
            if (session.isDone(unit)) {
                reporter.emit(new Event.UnitDone(unit, container.name(), "present", 0, Map.of()));
                continue;
            }
            Optional<ContainerInfo> existing = daemon.container(container.name());
            if (existing.isPresent() && earlierImportCreated(unit, existing.get())) {
                reporter.emit(new Event.UnitDone(unit, container.name(), "present", 0, Map.of()));
                continue;
            }
            if (dryRun) {
                reporter.emit(new Event.UnitDone(unit, container.name(), existing.isPresent() ? "conflict" : "would-create",
                        0, Map.of("state", container.state())));
                continue;
            }
            if (existing.isPresent()) {
                if (!session.wasStarted(unit)) {
                    String problem = "a container named " + container.name() + " already exists on the target ("
                            + existing.get().id().substring(0, 12) + ") and was not created by this import";
                    problems.add(problem);
                    reporter.emit(Event.Notice.warning(problem + "; it was left alone",
                            "rename or remove it, then run import again"));
                    continue;
                }
                daemon.removeContainer(existing.get().id()); // ours, half made when the last run stopped
            }
            recreate(container, unit, images, namesById);
        }
        return problems;
    }

    private void recreate(ContainerRecord container, String unit, Map<Digest, List<String>> images,
            Map<String, String> namesById) {
        if (!images.containsKey(container.image())) {
            throw new StowageException(ExitCode.VERIFY, "container " + container.name() + " needs image "
                    + container.image() + ", which is not on the target", "import the images first (import does)");
        }
        String imageRef = images.get(container.image()).contains(container.imageRef()) ? container.imageRef()
                : container.image().toString();
        session.started(unit, null);
        String id = daemon.createContainer(container.name(), ContainerBlueprint.createBody(container, imageRef, namesById));
        session.note(unit + "/id", Json.mapper().createObjectNode().put("id", id));
        if (container.layer() != null) {
            ContainerInfo created = daemon.container(id).orElseThrow();
            try (InputStream layer = BlobArchives.open(dir.blobs(), container.layer(),
                    Compression.parse(container.layerCompression()))) {
                LayerArchive.apply(layer, daemon.writableLayer(created));
            } catch (UnsafeEntryException e) {
                throw new StowageException(e.exitCode(), "cannot replay the writable layer of " + container.name()
                        + ": " + e.getMessage(), e.hint(), e);
            } catch (IOException e) {
                throw new StowageException(ExitCode.VERIFY, "cannot replay the writable layer of " + container.name()
                        + ": " + e.getMessage(), "check the target filesystem, then import again", e);
            }
        }
        for (String network : ContainerBlueprint.extraNetworks(container)) {
            daemon.connect(network, id, container.endpoints().get(network));
        }
        session.done(unit, Json.mapper().createObjectNode().put("id", id));
        reporter.emit(new Event.UnitDone(unit, container.name(), "created", container.layer() == null ? 0
                : container.layer().size(), Map.of("id", id, "state", container.state())));
    }

    /** Starts (and pauses again) what was running before the export, unless {@code noStart}. */
    void start(List<ContainerRecord> containers, boolean noStart) {
        for (ContainerRecord container : containers) {
            if (!container.shouldRun()) {
                continue;
            }
            String unit = "import/start/" + container.id();
            if (noStart || session.isDone(unit)) {
                continue;
            }
            String id = newId(container).orElseThrow(() -> new StowageException(ExitCode.JOURNAL,
                    "container " + container.name() + " was not recreated", "run import again"));
            boolean pause = "paused".equals(container.state());
            // a rerun finds them as an earlier run left them: the engine refuses to start a paused one
            Optional<ContainerInfo> live = daemon.container(id);
            boolean running = live.map(ContainerInfo::running).orElse(false);
            boolean paused = live.map(ContainerInfo::paused).orElse(false);
            if (running && paused == pause) {
                reporter.emit(new Event.UnitDone(unit, container.name(), "present", 0, Map.of("state", container.state())));
                continue;
            }
            session.started(unit, null);
            if (!running) {
                daemon.start(id);
            }
            if (pause && !paused) {
                daemon.pause(id);
            }
            session.done(unit, null);
            reporter.emit(new Event.UnitDone(unit, container.name(), "started", 0, Map.of("state", container.state())));
        }
    }

    /** The ID of the container this import made for {@code container}, if any. */
    Optional<String> newId(ContainerRecord container) {
        Optional<String> recorded = journal.last(unit(container) + "/id").map(r -> r.data().path("id").asText());
        return recorded.isPresent() ? recorded : daemon.container(container.name()).map(ContainerInfo::id);
    }

    /** Whether an earlier, finished import made exactly this container (same ID). */
    private boolean earlierImportCreated(String unit, ContainerInfo existing) {
        return journal.last(unit + "/id").map(r -> r.data().path("id").asText()).filter(existing.id()::equals)
                .isPresent() && journal.isDone(unit);
    }

    static String unit(ContainerRecord container) {
        return "import/container/" + container.id();
    }

}
