package dev.stowage.archive;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.stowage.fs.AtomicFile;
import dev.stowage.fs.PrivatePaths;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Json;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The migration directory: {@code manifest.json}, {@code blobs/sha256/}, {@code tmp/}. Created
 * 0700; the manifest is 0600. The caller holds the run lock before opening it, because opening
 * clears {@code tmp/}.
 */
public final class MigrationDir {
    public static final String MANIFEST = "manifest.json";

    private final Path root;
    private final BlobStore blobs;

    private MigrationDir(Path root, BlobStore blobs) {
        this.root = root;
        this.blobs = blobs;
    }

    /** Creates the directory (0700) if needed, so that it can be locked before it is opened. */
    public static Path prepare(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            return PrivatePaths.directory(dir);
        } catch (IOException | SecurityException e) {
            throw unwritable(dir, e);
        }
    }

    /**
     * Opens a prepared directory after proving it can be written and fsynced, and clears the temp
     * files a crashed run left. Call it only while holding the run lock.
     */
    public static MigrationDir open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            AtomicFile.write(dir.resolve(".write-check"), new byte[] {1});
            Files.delete(dir.resolve(".write-check"));
            return new MigrationDir(dir, BlobStore.open(dir));
        } catch (IOException | SecurityException e) {
            throw unwritable(dir, e);
        }
    }

    /** Whether {@code root} holds a finished export, without creating anything. */
    public static boolean hasManifest(Path root) {
        return Files.isRegularFile(root.resolve(MANIFEST));
    }

    public Path root() {
        return root;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** The manifest of the last finished export, if any. */
    public Optional<Manifest> manifest() {
        return root.resolve(MANIFEST).toFile().exists() ? Optional.of(readManifest(root)) : Optional.empty();
    }

    /** Reads {@code root}'s manifest without opening (or locking) the directory. */
    public static Manifest readManifest(Path root) {
        Path file = root.resolve(MANIFEST);
        try {
            Manifest manifest = Json.mapper().readValue(file.toFile(), Manifest.class);
            if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
                throw new StowageException(ExitCode.PRECHECK,
                        file + " has format version " + manifest.formatVersion() + "; this stowage reads version "
                                + Manifest.FORMAT_VERSION,
                        "import with the stowage version that exported it");
            }
            return manifest;
        } catch (IOException e) {
            throw new StowageException(ExitCode.VERIFY, "cannot read " + file + ": " + e.getMessage(),
                    "the manifest is damaged; run `stowage storage export` again to rewrite it", e);
        }
    }

    /** Replaces the manifest atomically (temp, fsync, rename, fsync dir), mode 0600. */
    public void writeManifest(Manifest manifest) {
        ObjectWriter writer = Json.mapper().writerWithDefaultPrettyPrinter();
        try {
            AtomicFile.write(root.resolve(MANIFEST), writer.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw unwritable(root, e);
        }
    }

    /**
     * Deletes the export (manifest, blobs, temp files) after a verified migration; the journal and
     * the lock stay, as the record of what was done. Returns the number of entries removed.
     */
    public long removeExport() throws IOException {
        Files.deleteIfExists(root.resolve(MANIFEST));
        long removed = dev.stowage.fs.TreeRemover.emptyDirectory(root.resolve("blobs"));
        removed += dev.stowage.fs.TreeRemover.emptyDirectory(root.resolve("tmp"));
        dev.stowage.fs.Fsync.directory(root);
        return removed;
    }

    static StowageException unwritable(Path dir, Exception e) {
        StowageException full = e instanceof IOException io ? DiskFull.of(io, dir, "writing to " + dir) : null;
        if (full != null) {
            return full;
        }
        return new StowageException(ExitCode.PRECHECK,
                "the migration directory " + dir + " is not writable: " + describe(e),
                "pick another directory with --dir, or make this one writable (is its filesystem mounted read-only or full?)",
                e);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String kind = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getClass().getSimpleName();
        return message == null ? kind : kind + " (" + message + ")";
    }
}
