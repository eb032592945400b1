package dev.stowage.cli;

import dev.stowage.archive.Compression;
import dev.stowage.docker.DaemonControl;
import dev.stowage.docker.DockerHost;
import dev.stowage.phase.ConfigDaemonSettings;
import dev.stowage.phase.Migration;
import dev.stowage.phase.MigrationRun;
import dev.stowage.phase.MigrationTarget;
import dev.stowage.phase.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stowage storage migrate}. */
@Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Export, reset, reconfigure, restart, import and verify, as one resumable run",
        description = {
            "Move the daemon's storage to --driver (and --data-root, --storage-opt) in one run: precheck, export,"
                    + " verify the export, stop the daemon, reset the old data-root (asks first, unless --yes), write"
                    + " the new settings, start the daemon and check it runs them, import, verify, clean up.",
            "",
            "Every step is journalled in the migration directory. After a crash, kill -9, reboot or Ctrl-C at any"
                    + " point, run the same command again: it carries on where it stopped. `stowage storage status`"
                    + " shows where a migration stands. Run on a host already on the target, it changes nothing."
        })
public final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DaemonControlOptions daemonControl = new DaemonControlOptions();

    @Mixin
    PreflightOptions preflight = new PreflightOptions();

    @Option(names = "--driver", required = true, paramLabel = "DRIVER",
            description = "The storage driver to move to: overlay2, vfs, btrfs, ...")
    String driver;

    @Option(names = "--data-root", paramLabel = "DIR", description = "The data-root to move to. Default: keep it.")
    Path dataRoot;

    @Option(names = "--storage-opt", paramLabel = "KEY=VALUE", description = "A storage option (repeatable).")
    List<String> storageOpts = new ArrayList<>();

    @Option(names = "--config-file", paramLabel = "FILE", defaultValue = "/etc/docker/daemon.json",
            description = "The daemon's configuration file. Default: ${DEFAULT-VALUE}.")
    Path configFile;

    @Option(names = "--live", description = "Export without stopping running containers (not consistent).")
    boolean live;

    @Option(names = "--compress", paramLabel = "zstd|none", defaultValue = "zstd",
            description = "Compression of volume and writable-layer blobs. Default: ${DEFAULT-VALUE}.")
    String compress;

    @Option(names = "--keep-old", description = "Rename the old data-root's content aside instead of deleting it.")
    boolean keepOld;

    @Option(names = "--no-start", description = "Leave every container stopped after the import.")
    boolean noStart;

    @Option(names = "--cleanup", description = "Remove the export once the import is verified.")
    boolean cleanup;

    @Override
    public Integer call() {
        preflight.startEarlySamples();
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        DockerHost host = DockerHost.resolve(options.host, System.getenv("DOCKER_HOST"));
        DaemonControl control = options.dryRun ? null : daemonControl.control(host);
        MigrationTarget target = new MigrationTarget(driver, dataRoot, storageOpts, configFile.toAbsolutePath());
        MigrationRun.Options runOptions = new MigrationRun.Options(live, Compression.parse(compress), keepOld, noStart,
                cleanup, daemonControl.timeout(), preflight.preflight());
        try (Workspace workspace = Workspace.open(options.dir, "storage migrate");
                MigrationRun run = new MigrationRun(workspace, root.reporter(), host, control, target, runOptions,
                        new TerminalConfirmation(options.yes), new ConfigDaemonSettings(java.nio.file.Path.of("/")))) {
            if (options.dryRun) {
                Migration.dryRun(run);
            } else {
                Migration.run(run);
            }
        } finally {
            root.reporter().close();
        }
        return 0;
    }
}
