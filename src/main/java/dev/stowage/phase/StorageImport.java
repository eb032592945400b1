package dev.stowage.phase;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.archive.MigrationDir;
import dev.stowage.docker.DaemonClient;
import dev.stowage.journal.Journal;
import dev.stowage.journal.Session;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import dev.stowage.plan.SpacePlan;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stowage storage import}: networks first (containers attach to them), then volumes, then
 * images, then containers with their writable layers, then the containers that were running are
 * started again; finally {@link Verification} compares the daemon with the manifest. Every unit is
 * journalled, so a rerun after a crash carries on where it stopped.
 */
public final class StorageImport {
    /** What the operator asked for. */
    public record Options(boolean dryRun, boolean noStart, Preflight preflight) {
        public Options(boolean dryRun, boolean noStart) {
            this(dryRun, noStart, Preflight.defaults());
        }
    }

    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Journal journal;
    private final Session session;
    private final Reporter reporter;

    public StorageImport(DaemonClient daemon, Workspace workspace, Reporter reporter) {
        this.daemon = daemon;
        this.dir = workspace.dir();
        this.journal = workspace.journal();
        this.session = journal.session("import");
        this.reporter = reporter;
    }

    public void run(Manifest manifest, Options options) {
        long start = System.nanoTime();
        DaemonFacts target = daemon.facts();
        reporter.emit(new Event.Step("importing into " + daemon.host() + " (Docker " + target.engineVersion() + ", "
                + target.storageDriver() + " on " + target.dataRoot() + ") the export of " + manifest.createdAt()
                + " from " + manifest.source().hostname() + " (" + manifest.source().storageDriver() + ")"
                + (session.resuming() ? ", resuming the unfinished import" : "")));
        // ---- preflight (issue 5): the disk health gate, then the space plan, before anything is written
        Preflight preflight = options.preflight();
        List<Path> disks = List.of(dir.root(), Path.of(target.dataRoot()));
        HealthGate.Pending gate = new HealthGate(reporter, preflight).start("import", disks, journal);
        ImageImport images = new ImageImport(daemon, dir, reporter);
        ImportPlan imagePlan = images.plan(manifest); // API calls and blob lengths: they overlap the health check
        gate.require();
        SpacePlan space = ImportSpace.plan(target, manifest, imagePlan, session);
        String hint = "make room under the daemon's data-root " + target.dataRoot();
        if (!options.dryRun()) {
            SpaceGate.require(space, preflight, reporter, hint); // before the first network is created
            SpaceGate.announce(space, reporter);
        }
        List<String> problems = new ArrayList<>();
        problems.addAll(new NetworkImport(daemon, journal, reporter).run(manifest.networks(), options.dryRun()));
        VolumeImport volumes = new VolumeImport(daemon, dir, session, reporter);
        ContainerImport containers = new ContainerImport(daemon, dir, journal, session, reporter);
        if (options.dryRun()) {
            problems.addAll(volumes.run(manifest.volumes(), true));
            SummaryPart part = images.dryRunSummary(imagePlan);
            problems.addAll(containers.create(manifest.containers(), true));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("dry_run", true);
            fields.putAll(part.fields());
            fields.put("networks", manifest.networks().size());
            fields.put("volumes", manifest.volumes().size());
            fields.put("containers", manifest.containers().size());
            fields.put("conflicts", problems.size());
            List<String> lines = new ArrayList<>(List.of("dry run: nothing was changed"));
            lines.addAll(part.lines());
            lines.add(String.format("networks: %d, volumes: %d, containers: %d; %d conflicts", manifest.networks().size(),
                    manifest.volumes().size(), manifest.containers().size(), problems.size()));
            SummaryPart plan = SpaceGate.summary(space);
            fields.putAll(plan.fields());
            lines.addAll(plan.lines());
            reporter.emit(new Event.Summary("import", fields, lines));
            SpaceGate.require(space, preflight, reporter, hint);
            return;
        }
        SummaryPart imagePart;
        try (DiskWatch watch = DiskWatch.start(disks, reporter, journal, preflight)) {
            problems.addAll(volumes.run(manifest.volumes(), false, watch));
            imagePart = images.run(manifest, imagePlan, watch);
            problems.addAll(containers.create(manifest.containers(), false, watch));
        } catch (StowageException e) {
            throw SpaceGate.explain(e, space);
        }
        // ---- end of the preflight's part
        Verification verification = new Verification(daemon, dir);
        Verification.Report report = verification.compare(manifest, false, options.noStart());
        problems.addAll(report.differences());
        containers.start(manifest.containers(), options.noStart());
        problems.addAll(verification.states(manifest.containers(), options.noStart()));
        if (problems.isEmpty()) {
            ObjectNode done = Json.mapper().createObjectNode().put("images", manifest.images().size())
                    .put("containers", manifest.containers().size());
            session.complete(done);
        }
        reporter.emit(summary(manifest, imagePart, report, problems, System.nanoTime() - start));
        if (!problems.isEmpty()) {
            throw new StowageException(ExitCode.VERIFY, "import finished with " + problems.size() + " problem(s): "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; ..." : ""),
                    "resolve them and run import again; it only redoes what is missing");
        }
    }

    private Event.Summary summary(Manifest manifest, SummaryPart images, Verification.Report report,
            List<String> problems, long nanos) {
        Map<String, Object> fields = new LinkedHashMap<>(images.fields());
        fields.put("networks", manifest.networks().size());
        fields.put("volumes", manifest.volumes().size());
        fields.put("containers", manifest.containers().size());
        fields.put("verified", problems.isEmpty());
        fields.put("differences", problems.size());
        fields.put("seconds", Math.round(nanos / 1e7) / 100.0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("imported %d images, %d containers, %d volumes, %d networks in %.1f s",
                manifest.images().size(), manifest.containers().size(), manifest.volumes().size(),
                manifest.networks().size(), nanos / 1e9));
        lines.addAll(images.lines());
        lines.addAll(report.lines());
        lines.add(problems.isEmpty() ? "verified: the target matches the export"
                : "verification FAILED: " + problems.size() + " difference(s)");
        return new Event.Summary("import", fields, lines);
    }
}
