package dev.stowage.cli;

import dev.stowage.archive.MigrationDir;
import dev.stowage.docker.DaemonClient;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import dev.stowage.phase.ImageImport;
import dev.stowage.phase.Workspace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stowage storage import}. */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Load an export into the daemon and verify every image ID and tag",
        description = {
            "Import an export into the daemon: load every image that is not there yet (one stream assembled"
                    + " from the blobs, each blob verified by digest before the daemon receives it), restore every"
                    + " tag, then verify that every exported image ID and tag is present.",
            "",
            "Safe to rerun: images already present are not loaded again. A tag that the daemon already uses"
                    + " for a different image is reported and left alone (exit code 6), never moved."
        })
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        if (!MigrationDir.hasManifest(options.dir)) {
            throw new StowageException(ExitCode.PRECHECK, "no finished export in " + options.dir.toAbsolutePath()
                    + " (manifest.json is missing)", "run `stowage storage export` first, or point --dir at the export");
        }
        try (DaemonClient daemon = root.connect();
                Workspace workspace = Workspace.open(options.dir, "storage import")) {
            Manifest manifest = workspace.dir().manifest().orElseThrow();
            new ImageImport(daemon, workspace.dir(), root.reporter()).run(manifest, options.dryRun);
        } finally {
            root.reporter().close();
        }
        return 0;
    }
}
