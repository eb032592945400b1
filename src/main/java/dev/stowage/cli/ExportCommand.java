package dev.stowage.cli;

import dev.stowage.archive.Compression;
import dev.stowage.phase.StorageExport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stowage storage export}. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Export every image, container, volume and network into the migration directory",
        description = {
            "Export everything the daemon holds into the migration directory: every image (layers and configs as"
                    + " content-addressed, checksummed blobs, each layer stored once however many images share it),"
                    + " every container (configuration, state, writable layer), every volume (files with owners,"
                    + " modes, xattrs, ACLs, hardlinks, sparse files) and every user-defined network, plus"
                    + " manifest.json.",
            "",
            "On the daemon's own host (a unix socket; run as root) image layers are read from the daemon's layer"
                    + " store: each layer's tar is rebuilt from the engine's tar-split record and the layer's files,"
                    + " byte for byte as docker save sends it, and stored only if it hashes to the layer's diff-id."
                    + " This skips the copy of every layer that docker save first makes under <data-root>/tmp. An image"
                    + " that cannot be read so (a driver other than overlay2, vfs or btrfs; a remote daemon; a"
                    + " mismatch) goes through docker save, as every image does with --via-save.",
            "",
            "Images are saved while containers still run. Then running containers are stopped gracefully"
                    + " (recorded, so import starts them again) so that volumes and writable layers are copied at"
                    + " rest; --live skips that, with a warning.",
            "",
            "Rerunning it on the same directory carries on an interrupted export: it re-verifies what is stored,"
                    + " saves only what is missing and picks up images added since. With --dry-run it shows what"
                    + " would be exported, how big it is and whether it fits (exit code 4 if not).",
            "",
            "Before it writes anything, export checks the disks under the daemon's data-root and the migration"
                    + " directory (as `stowage probe` does, within --health-budget): a stalled disk refuses the run with"
                    + " exit code 11 unless --ignore-disk-health, a degraded one gets a warning. Then it plans the space"
                    + " per filesystem (image blobs not stored yet, volume and writable-layer archives, and, for images"
                    + " that go through docker save, the daemon's own staging under <data-root>/tmp) and refuses with"
                    + " exit code 4 if the plan does not fit."
                    + " --dry-run prints the plan as a table. While it runs, a watcher reads the disks' passive signals"
                    + " every second; if a disk stalls, it says so and holds new work until the disk recovers."
        })
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PreflightOptions preflight;

    @Option(names = "--live", description = "Do not stop running containers; their volumes and layers may be"
            + " copied mid-write.")
    boolean live;

    @Option(names = "--images-only", description = "Export the images only: containers keep running, and volumes,"
            + " containers and networks are left out of the export.")
    boolean imagesOnly;

    @Option(names = "--via-save", description = "Read image layers through the daemon's save API (docker save)"
            + " even where its layer store on this host is readable. Slower: the daemon first copies every layer"
            + " under <data-root>/tmp.")
    boolean viaSave;

    @Option(names = "--compress", paramLabel = "zstd|none", defaultValue = "zstd",
            description = "Compression of volume and writable-layer blobs (image layers are stored as the engine"
                    + " sends them). Default: ${DEFAULT-VALUE}.")
    String compress;

    @Override
    public Integer call() {
        preflight.startEarlySamples();
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        Compression compression = Compression.parse(compress);
        root.inWorkspace("storage export", (daemon, workspace) -> new StorageExport(daemon, workspace, root.reporter())
                .run(new StorageExport.Options(options.dryRun, live, compression, preflight.preflight(), imagesOnly,
                        viaSave)));
        return 0;
    }
}
