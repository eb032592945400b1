package dev.stowage.phase;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.nio.file.Path;
import java.util.Set;

/**
 * What a reset may delete. A data-root must be a real, specific directory: never a system directory,
 * never one that holds the migration directory (the export would go with it), never one inside it.
 */
final class DataRootGuard {
    private static final Set<Path> SYSTEM = Set.of(Path.of("/"), Path.of("/var"), Path.of("/var/lib"), Path.of("/usr"),
            Path.of("/etc"), Path.of("/home"), Path.of("/root"), Path.of("/opt"), Path.of("/srv"), Path.of("/tmp"),
            Path.of("/var/tmp"), Path.of("/boot"), Path.of("/mnt"), Path.of("/media"), Path.of("/run"));

    private DataRootGuard() {
    }

    static void check(Path dataRoot, Path migrationDir) {
        Path root = dataRoot.toAbsolutePath().normalize();
        Path dir = migrationDir.toAbsolutePath().normalize();
        if (SYSTEM.contains(root) || root.getNameCount() < 1) {
            throw refuse("the data-root " + root + " is a system directory; reset never deletes one",
                    "check the data-root the manifest records and --data-root");
        }
        if (dir.startsWith(root)) {
            throw refuse("the migration directory " + dir + " lies inside the data-root " + root
                    + ": resetting would delete the export", "export to a directory outside the data-root (--dir)");
        }
        if (root.startsWith(dir)) {
            throw refuse("the data-root " + root + " lies inside the migration directory " + dir,
                    "use a migration directory outside the data-root's tree");
        }
    }

    private static StowageException refuse(String message, String hint) {
        return new StowageException(ExitCode.PRECHECK, message + "; nothing was deleted", hint);
    }
}
