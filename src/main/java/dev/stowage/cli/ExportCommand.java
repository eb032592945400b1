package dev.stowage.cli;

import dev.stowage.docker.DaemonClient;
import dev.stowage.phase.ImageExport;
import dev.stowage.phase.Workspace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stowage storage export}. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Export every image of the daemon into the migration directory",
        description = {
            "Export every image of the daemon into the migration directory: layers and configs as"
                    + " content-addressed, checksummed blobs (each layer stored once however many images share it),"
                    + " plus manifest.json with every tag, untagged image and repo digest.",
            "",
            "Rerunning it on the same directory re-verifies what is stored, saves only what is missing and picks"
                    + " up images added since. With --dry-run it shows what would be saved, how big it is and"
                    + " whether it fits (exit code 4 if not)."
        })
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StowageCommand root = (StowageCommand) spec.root().userObject();
        GlobalOptions options = root.options();
        try (DaemonClient daemon = root.connect();
                Workspace workspace = Workspace.open(options.dir, "storage export")) {
            new ImageExport(daemon, workspace.dir(), root.reporter()).run(options.dryRun);
        } finally {
            root.reporter().close();
        }
        return 0;
    }
}
