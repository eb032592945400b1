package dev.stowage.cli;

import dev.stowage.archive.MigrationDir;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import java.nio.file.Path;

/** Finds the finished export a command needs, or says how to make one. */
final class Exports {
    private Exports() {
    }

    static Manifest require(Path dir) {
        if (!MigrationDir.hasManifest(dir)) {
            throw new StowageException(ExitCode.PRECHECK, "no finished export in " + dir.toAbsolutePath()
                    + " (manifest.json is missing)", "run `stowage storage export` first, or point --dir at the export");
        }
        return MigrationDir.readManifest(dir);
    }
}
