package dev.stowage.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates directories and files that only their owner (root) may read. */
public final class PrivatePaths {
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivatePaths() {
    }

    /**
     * Creates {@code dir} (and missing parents) and sets it to 0700. Parents that already exist
     * keep their modes; parents created here get 0700 too. An existing directory is tightened
     * to 0700, because a looser one would expose every image on the host.
     */
    public static Path directory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            directory(parent);
        }
        if (!Files.isDirectory(absolute)) {
            Files.createDirectory(absolute);
            Fsync.directory(parent);
        }
        Files.setPosixFilePermissions(absolute, DIR);
        return absolute;
    }
}
