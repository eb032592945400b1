package dev.stowage.archive;

import dev.stowage.fs.Fsync;
import dev.stowage.fs.PrivatePaths;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Content-addressed storage: {@code blobs/sha256/<hex>}. New content is written to {@code tmp/},
 * hashed while it streams, fsynced, and only then renamed under its digest.
 */
public final class BlobStore {
    static final int BUFFER = 1 << 20;

    private final Path blobDir;
    private final Path tmpDir;

    private BlobStore(Path blobDir, Path tmpDir) {
        this.blobDir = blobDir;
        this.tmpDir = tmpDir;
    }

    /** Opens (creating if needed) the store under {@code root}, and clears temp files a crash left. */
    public static BlobStore open(Path root) throws IOException {
        Path blobs = PrivatePaths.directory(root.resolve("blobs").resolve(Digest.ALGORITHM));
        Path tmp = PrivatePaths.directory(root.resolve("tmp"));
        BlobStore store = new BlobStore(blobs, tmp);
        store.clearTemp();
        return store;
    }

    public Path path(Digest digest) {
        return blobDir.resolve(digest.hex());
    }

    public boolean contains(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** The stored size, or -1 when the blob is absent. */
    public long size(Digest digest) throws IOException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    public InputStream open(Digest digest) throws IOException {
        return Files.newInputStream(path(digest));
    }

    /** Starts a new blob; nothing is visible under a digest name until {@link BlobWriter#commit}. */
    public BlobWriter newWriter() throws IOException {
        // 0600 stated, not left to the JDK's default: a blob holds an image's files.
        return new BlobWriter(this, Files.createTempFile(tmpDir, "blob-", ".part",
                PosixFilePermissions.asFileAttribute(PrivatePaths.FILE)));
    }

    /**
     * Re-reads a stored blob and checks its length and digest.
     *
     * @param expectedSize the length the manifest records, or -1 to skip that check
     * @throws BlobCorruptException if it is missing, the wrong length, or hashes differently
     */
    public BlobRef verify(Digest digest, long expectedSize) throws IOException {
        long size = size(digest);
        if (size < 0) {
            throw new BlobCorruptException(digest, "it is missing from " + blobDir);
        }
        if (expectedSize >= 0 && size != expectedSize) {
            throw new BlobCorruptException(digest, "it is " + size + " bytes, the manifest says " + expectedSize
                    + " (truncated or overwritten)");
        }
        MessageDigest sha = sha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = open(digest)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        Digest actual = Digest.of(sha.digest());
        if (!actual.equals(digest)) {
            throw new BlobCorruptException(digest, "its content hashes to " + actual);
        }
        return new BlobRef(digest, size);
    }

    /** Deletes a blob that failed verification, so that the next export writes it again. */
    public void discard(Digest digest) throws IOException {
        if (Files.deleteIfExists(path(digest))) {
            Fsync.directory(blobDir);
        }
    }

    /** Moves a fully written, fsynced temp file under its digest; returns false if it was already there. */
    boolean publish(Path temp, Digest digest) throws IOException {
        Path target = path(digest);
        if (Files.exists(target)) {
            Files.delete(temp);
            return false;
        }
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(blobDir);
        return true;
    }

    private void clearTemp() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmpDir)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
