package dev.stowage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivatePathsTest {
    @TempDir
    Path dir;

    @Test
    void createsMissingParentsPrivate() throws IOException {
        Path leaf = PrivatePaths.directory(dir.resolve("a/b/c"));

        assertEquals(dir.resolve("a/b/c").toAbsolutePath(), leaf);
        for (Path created : new Path[] {dir.resolve("a"), dir.resolve("a/b"), leaf}) {
            assertEquals("rwx------", mode(created), created.toString());
        }
    }

    @Test
    void tightensAnExistingDirectoryButNotItsExistingParent() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path loose = Files.createDirectory(dir.resolve("loose"));
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rwxrwxrwx"));

        PrivatePaths.directory(loose);

        assertEquals("rwx------", mode(loose));
        assertEquals("rwxr-xr-x", mode(dir));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
