package dev.stowage.phase;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.archive.Compression;
import dev.stowage.archive.MigrationDir;
import dev.stowage.docker.DaemonClient;
import dev.stowage.journal.Journal;
import dev.stowage.journal.JournalRecord;
import dev.stowage.journal.Session;
import dev.stowage.model.ByteSize;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.ExitCode;
import dev.stowage.model.ImageInfo;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Json;
import dev.stowage.model.Manifest;
import dev.stowage.model.NetworkRecord;
import dev.stowage.model.StowageException;
import dev.stowage.model.ToolVersion;
import dev.stowage.model.VolumeRecord;
import dev.stowage.plan.SpacePlan;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code stowage storage export}: images first, while containers still run (images do not change
 * under them); then the running containers are stopped gracefully, so that volumes and writable
 * layers are copied at rest; then volumes, container layers and configs; the manifest last.
 * Every step is journalled, so a rerun after a crash carries on and knows which containers the
 * export itself stopped.
 */
public final class StorageExport {
    /** What the operator asked for. */
    public record Options(boolean dryRun, boolean live, Compression compression, Preflight preflight,
            boolean imagesOnly, boolean viaSave) {
        public Options(boolean dryRun, boolean live, Compression compression, Preflight preflight) {
            this(dryRun, live, compression, preflight, false, false);
        }

        public Options(boolean dryRun, boolean live, Compression compression) {
            this(dryRun, live, compression, Preflight.defaults(), false, false);
        }
    }

    /** Stops run in parallel: each may wait its whole stop timeout for a process that ignores SIGTERM. */
    private static final int STOP_PARALLELISM = 8;
    private static final int DEFAULT_STOP_TIMEOUT = 10;

    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Journal journal;
    private final Session session;
    private final Reporter reporter;

    public StorageExport(DaemonClient daemon, Workspace workspace, Reporter reporter) {
        this.daemon = daemon;
        this.dir = workspace.dir();
        this.journal = workspace.journal();
        this.session = journal.session("export");
        this.reporter = reporter;
    }

    /** Runs the export; returns the manifest written, or null on a dry run. */
    public Manifest run(Options options) {
        long start = System.nanoTime();
        DaemonFacts facts = daemon.facts();
        reporter.emit(new Event.Step("exporting from " + daemon.host() + " (Docker " + facts.engineVersion() + ", API "
                + facts.apiVersion() + ", " + facts.storageDriver() + " on " + facts.dataRoot() + ")"
                + (session.resuming() ? ", resuming the unfinished export in " + dir.root() : "")));
        // ---- preflight (issue 5): the disk health gate, then the space plan, before anything is written
        Preflight preflight = options.preflight();
        List<Path> disks = List.of(Path.of(facts.dataRoot()), dir.root());
        HealthGate.Pending gate = new HealthGate(reporter, preflight).start("export", disks, journal);
        // API calls: they overlap the health check; --images-only leaves containers, volumes and networks alone
        List<ContainerInfo> containers = options.imagesOnly() ? List.of() : daemon.containers();
        List<ImageInfo> listed = daemon.images();
        ImageExport images = new ImageExport(daemon, dir, reporter, options.viaSave());
        CompletableFuture<ImageExport.Plan> earlyPlan = planWhileGateSamples(images, listed, options.dryRun());
        gate.require();
        VolumeExport volumes = new VolumeExport(daemon, dir, session, reporter, options.compression());
        ContainerExport containerExport = new ContainerExport(daemon, dir, session, reporter, options.compression());
        ImageExport.Plan imagePlan = earlyPlan != null ? joined(earlyPlan) : images.plan(listed, !options.dryRun());
        VolumeExport.Plan volumePlan = options.imagesOnly() ? VolumeExport.none() : volumes.plan();
        SpacePlan space = ExportSpace.plan(facts, dir.root(), imagePlan, volumePlan, containerExport.plan(containers),
                containers, options.compression());
        String hint = "export to another filesystem with --dir";
        if (options.dryRun()) {
            reportPlan(images.planSummary(imagePlan), volumePlan, containers, space);
            SpaceGate.require(space, preflight, reporter, hint);
            return null;
        }
        SpaceGate.require(space, preflight, reporter, hint);
        SpaceGate.announce(space, reporter);
        Planned planned = new Planned(images, imagePlan, volumes, volumePlan, containerExport, containers, space);
        try (DiskWatch watch = DiskWatch.start(disks, reporter, journal, preflight)) {
            return write(options, facts, start, planned, watch);
        } catch (StowageException e) {
            throw SpaceGate.explain(e, space);
        }
    }

    /**
     * Starts the image plan while the health gate samples, when that plan reads nothing from the
     * migration directory: on a first export (none of these images' blobs stored yet) it only asks
     * the daemon about each image and reads the daemon's small layer records, and writes nothing.
     * A rerun re-hashes its stored blobs, which waits for the gate's verdict; null then.
     */
    private static CompletableFuture<ImageExport.Plan> planWhileGateSamples(ImageExport images, List<ImageInfo> listed,
            boolean dryRun) {
        if (!images.storesNoneOf(listed)) {
            return null;
        }
        CompletableFuture<ImageExport.Plan> plan = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                plan.complete(images.plan(listed, !dryRun));
            } catch (Throwable e) {
                plan.completeExceptionally(e);
            }
        }, "stowage-image-plan");
        worker.setDaemon(true); // a refusal by the gate does not wait for it
        worker.start();
        return plan;
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The phases with their plans, as the preflight left them. */
    private record Planned(ImageExport images, ImageExport.Plan imagePlan, VolumeExport volumes,
            VolumeExport.Plan volumePlan, ContainerExport containerExport, List<ContainerInfo> containers,
            SpacePlan space) {
    }

    private Manifest write(Options options, DaemonFacts facts, long start, Planned planned, DiskWatch watch) {
        SpacePlan space = planned.space();
        ImageExport.Result imageResult = planned.images().run(planned.imagePlan(), watch);
        List<NetworkRecord> networks = options.imagesOnly() ? List.of() : new NetworkExport(daemon, reporter).run();
        Map<String, String> stoppedStates = options.imagesOnly() ? Map.of()
                : stopContainers(planned.containers(), options.live());
        List<VolumeRecord> volumeRecords = planned.volumes().run(planned.volumePlan(), watch);
        List<ContainerRecord> containerRecords = options.imagesOnly() ? List.of()
                : planned.containerExport().run(stoppedStates, watch);
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, ToolVersion.get(), Instant.now(), facts,
                imageResult.records(), networks, volumeRecords, containerRecords);
        dir.writeManifest(manifest);
        ObjectNode done = Json.mapper().createObjectNode().put("images", manifest.images().size())
                .put("containers", containerRecords.size()).put("volumes", volumeRecords.size());
        session.complete(done);
        reporter.emit(summary(manifest, imageResult.summary(), stoppedStates, options.live(), System.nanoTime() - start,
                space.bytesInto(dir.root().toString())));
        return manifest;
    }

    /**
     * Stops every running or paused container, unless {@code live}. The state before is journalled
     * before the stop, so that a rerun (which finds them stopped) still knows to restart them.
     *
     * @return container ID → state before the export stopped it, for this and earlier attempts
     */
    private Map<String, String> stopContainers(List<ContainerInfo> containers, boolean live) {
        Map<String, String> stopped = new LinkedHashMap<>(stoppedEarlier(containers));
        session.units("export/stop/").forEach((unit, record) ->
                stopped.put(unit.substring("export/stop/".length()), record.data().path("state").asText("running")));
        if (live) {
            long running = containers.stream().filter(ContainerInfo::running).count();
            if (running > 0) {
                reporter.emit(Event.Notice.warning("--live: " + running + " containers keep running during the export;"
                        + " their volumes and writable layers may be copied mid-write (a database copied while it"
                        + " writes can be corrupt)", "export without --live for a consistent copy"));
            }
            return stopped;
        }
        List<ContainerInfo> toStop = containers.stream()
                .filter(c -> c.running() && !stopped.containsKey(c.id())).toList();
        if (toStop.isEmpty()) {
            return stopped;
        }
        reporter.emit(new Event.Step("stopping " + toStop.size() + " running containers for a consistent copy"
                + " (their stop signal, then SIGKILL after their stop timeout; " + STOP_PARALLELISM + " at a time)"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(STOP_PARALLELISM, toStop.size()));
        try {
            Map<ContainerInfo, java.util.concurrent.Future<?>> stops = new LinkedHashMap<>();
            for (ContainerInfo container : toStop) {
                String state = container.paused() ? "paused" : "running";
                session.started("export/stop/" + container.id(), Json.mapper().createObjectNode().put("state", state)
                        .put("name", container.name()));
                stops.put(container, pool.submit(() -> daemon.stop(container.id(),
                        container.config().path("StopTimeout").asInt(DEFAULT_STOP_TIMEOUT))));
            }
            for (Map.Entry<ContainerInfo, java.util.concurrent.Future<?>> stop : stops.entrySet()) {
                ContainerInfo container = stop.getKey();
                await(stop.getValue());
                String state = container.paused() ? "paused" : "running";
                String unit = "export/stop/" + container.id();
                session.done(unit, Json.mapper().createObjectNode().put("state", state).put("name", container.name()));
                stopped.put(container.id(), state);
                reporter.emit(new Event.UnitDone(unit, container.name(), "stopped", 0, Map.of("was", state)));
            }
        } finally {
            pool.shutdownNow();
        }
        return stopped;
    }

    /**
     * Containers an earlier, finished export stopped and nobody has started since: a second export
     * (to pick up changes) must still record that they ran, or import would leave them stopped.
     */
    private Map<String, String> stoppedEarlier(List<ContainerInfo> containers) {
        Map<String, JournalRecord> stops = new LinkedHashMap<>();
        for (JournalRecord record : journal.records()) {
            if (record.unit().startsWith("export/stop/") && record.type().equals(JournalRecord.DONE)) {
                stops.put(record.unit().substring("export/stop/".length()), record);
            }
        }
        Map<String, String> earlier = new LinkedHashMap<>();
        for (ContainerInfo container : containers) {
            JournalRecord stop = stops.get(container.id());
            if (stop != null && !container.running() && container.startedAt().isBefore(stop.time())) {
                earlier.put(container.id(), stop.data().path("state").asText("running"));
            }
        }
        return earlier;
    }

    private static void await(java.util.concurrent.Future<?> stop) {
        try {
            stop.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StowageException(ExitCode.INTERRUPTED, "interrupted while stopping containers", null);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StowageException stowage) {
                throw stowage;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void reportPlan(SummaryPart images, VolumeExport.Plan volumes, List<ContainerInfo> containers,
            SpacePlan space) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dry_run", true);
        fields.putAll(images.fields());
        fields.put("volumes", volumes.volumes().size());
        fields.put("estimated_volume_bytes", volumes.estimate());
        fields.put("containers", containers.size());
        fields.put("containers_to_stop", containers.stream().filter(ContainerInfo::running).count());
        SummaryPart plan = SpaceGate.summary(space);
        fields.put("estimated_bytes", space.bytesInto(dir.root().toString()));
        fields.put("free_bytes", space.budgetOf(dir.root().toString()).map(b -> b.filesystem().freeBytes()).orElse(0L));
        fields.putAll(plan.fields());
        List<String> lines = new ArrayList<>();
        lines.add("dry run: nothing was written or stopped");
        lines.addAll(images.lines());
        lines.add("volumes: " + volumes.volumes().size() + ", about " + ByteSize.of(volumes.estimate()).human()
                + " to store");
        lines.add("containers: " + containers.size() + ", " + fields.get("containers_to_stop")
                + " running (an export stops them; --live does not)");
        lines.addAll(plan.lines());
        reporter.emit(new Event.Summary("export", fields, lines));
    }

    private Event.Summary summary(Manifest manifest, SummaryPart images, Map<String, String> stopped, boolean live,
            long nanos, long estimated) {
        Map<String, Object> fields = new LinkedHashMap<>(images.fields());
        fields.put("networks", manifest.networks().size());
        fields.put("volumes", manifest.volumes().size());
        fields.put("volume_bytes", manifest.volumes().stream().mapToLong(VolumeRecord::bytes).sum());
        fields.put("containers", manifest.containers().size());
        fields.put("containers_stopped", stopped.size());
        fields.put("live", live);
        fields.put("seconds", Math.round(nanos / 1e7) / 100.0);
        fields.put("directory", dir.root().toString());
        fields.put("estimated_bytes", estimated);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("exported %d images, %d containers, %d volumes, %d networks into %s in %.1f s",
                manifest.images().size(), manifest.containers().size(), manifest.volumes().size(),
                manifest.networks().size(), dir.root(), nanos / 1e9));
        lines.addAll(images.lines());
        lines.add(String.format("volumes: %d, %s of files", manifest.volumes().size(),
                ByteSize.of((Long) fields.get("volume_bytes")).human()));
        if (!stopped.isEmpty()) {
            lines.add("note: " + stopped.size() + " containers were stopped for a consistent copy and are still"
                    + " stopped; import starts them again on the target (`docker start` resumes them here)");
        }
        return new Event.Summary("export", fields, lines);
    }
}
