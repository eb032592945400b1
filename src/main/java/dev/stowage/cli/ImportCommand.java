package dev.stowage.cli;

import dev.stowage.model.Manifest;
import dev.stowage.phase.StorageImport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stowage storage import}. */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Import an export into the daemon, start what ran, and verify everything",
        description = {
            "Import an export into the daemon: recreate networks, recreate volumes and restore their files, load"
                    + " every image that is not there yet (one stream assembled from the blobs, each blob verified"
                    + " by digest before the daemon receives it), recreate containers with their writable layers,"
                    + " start those that were running, then verify everything against the manifest.",
            "",
            "Safe to rerun: what is already there is not done again. A tag, volume, container or network that the"
                    + " daemon already uses for something else is reported and left alone (exit code 6), never"
                    + " replaced.",
            "",
            "Before it writes anything, import checks the disks under the migration directory and the daemon's"
                    + " data-root (stalled: exit code 11 unless --ignore-disk-health; degraded: a warning) and plans the"
                    + " space under the data-root: the images as the daemon's storage driver keeps them (vfs keeps a"
                    + " full copy per layer), the daemon's staging of the load under <data-root>/tmp, volume files and"
                    + " inodes, writable layers. If it does not fit, import refuses with exit code 4; --dry-run prints"
                    + " the plan as a table."
        })
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PreflightOptions preflight;

    @Option(names = "--no-start", description = "Leave every container stopped, even those that were running.")
    boolean noStart;

    @Override
    public Integer call() {
        preflight.startEarlySamples();
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        Manifest manifest = Exports.require(options.dir);
        root.inWorkspace("storage import", (daemon, workspace) -> new StorageImport(daemon, workspace, root.reporter())
                .run(manifest, new StorageImport.Options(options.dryRun, noStart, preflight.preflight())));
        return 0;
    }
}
