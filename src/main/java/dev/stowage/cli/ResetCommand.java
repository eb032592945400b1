package dev.stowage.cli;

import dev.stowage.docker.DaemonClient;
import dev.stowage.docker.DockerHost;
import dev.stowage.docker.EngineClient;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import dev.stowage.phase.StorageReset;
import dev.stowage.phase.Workspace;
import dev.stowage.report.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stowage storage reset}. */
@Command(name = "reset", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Wipe the daemon's data-root, once a verified export of it exists",
        description = {
            "Delete everything in the Docker daemon's data-root, so that it can start afresh with another storage"
                    + " driver. Refused while the daemon runs on that data-root (--stop-daemon stops it; a daemon"
                    + " that already runs on another data-root, after a move, keeps running), unless the migration"
                    + " directory holds a finished export of exactly this data-root whose every blob re-verifies"
                    + " (--force overrides, loudly), and when the migration directory lies inside the data-root.",
            "",
            "Mounts left below the data-root are unmounted first; a data-root that is a mount point is emptied and"
                    + " kept. Shows what it deletes and how big, and asks, unless --yes. --keep-old renames the old"
                    + " content aside instead (no space needed) so that a failed migration can roll back."
        })
public final class ResetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DaemonControlOptions daemonControl = new DaemonControlOptions();

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "The data-root to reset. Default: the one the export in --dir was made from.")
    Path dataRoot;

    @Option(names = "--stop-daemon", description = "Stop the daemon first if it runs (systemd or --stop-command).")
    boolean stopDaemon;

    @Option(names = "--force", description = "Reset even without a complete, verified export of this data-root."
            + " Whatever the export lacks is lost.")
    boolean force;

    @Option(names = "--keep-old", description = "Rename the old content aside instead of deleting it.")
    boolean keepOld;

    @Override
    public Integer call() {
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        Manifest manifest = dev.stowage.archive.MigrationDir.hasManifest(options.dir)
                ? dev.stowage.archive.MigrationDir.readManifest(options.dir) : null;
        DockerHost host = DockerHost.resolve(options.host, System.getenv("DOCKER_HOST"));
        try (Workspace workspace = Workspace.open(options.dir, "storage reset")) {
            Optional<DaemonFacts> running = runningDaemon(host);
            Path target = dataRoot != null ? dataRoot : manifest != null ? Path.of(manifest.source().dataRoot()) : null;
            if (running.isPresent() && target != null && !sameDirectory(target, Path.of(running.get().dataRoot()))) {
                // after a move to a new data-root, the old one is reset with the daemon running on the new one
                root.reporter().emit(Event.Notice.info("the Docker daemon at " + host + " runs on "
                        + running.get().dataRoot() + ", not on " + target + ": it keeps running"));
            } else if (running.isPresent()) {
                if (!stopDaemon) {
                    throw new StowageException(ExitCode.PRECHECK, "the Docker daemon at " + host + " is running;"
                            + " reset never deletes storage under a running daemon; nothing was deleted",
                            "stop it first, or pass --stop-daemon");
                }
                if (!options.dryRun) {
                    daemonControl.control(host).stop(daemonControl.timeout());
                }
            }
            new StorageReset(workspace, root.reporter(), new TerminalConfirmation(options.yes), host)
                    .run(manifest, new StorageReset.Options(dataRoot, force, keepOld, options.dryRun));
        } finally {
            root.reporter().close();
        }
        return 0;
    }

    /** The facts of the daemon at {@code host} if it answers now. */
    private static Optional<DaemonFacts> runningDaemon(DockerHost host) {
        try (DaemonClient client = EngineClient.connect(host)) {
            return Optional.of(client.facts());
        } catch (StowageException e) {
            return Optional.empty();
        }
    }

    /** Whether two paths name one directory (dockerd reports its data-root with symlinks resolved). */
    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b)
                    : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException e) {
            return true; // cannot tell: treat it as the daemon's own, which is refused unless stopped
        }
    }
}
