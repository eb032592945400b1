package dev.stowage.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stowage storage}: the commands that move a daemon's storage. */
@Command(name = "storage", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Commands that move a Docker daemon's storage",
        subcommands = {ExportCommand.class, ImportCommand.class, VerifyCommand.class, ResetCommand.class, ModifyCommand.class,
            MigrateCommand.class, StatusCommand.class},
        description = "Export, import, verify, reset and migrate a Docker daemon's storage, and show where a migration stands.")
public final class StorageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a storage command is required: export or import");
    }
}
