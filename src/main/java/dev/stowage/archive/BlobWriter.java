package dev.stowage.archive;

import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * One blob being written: bytes go to a temp file and through SHA-256 in the same pass. Closing
 * without {@link #commit} deletes the temp file, so an abandoned blob never gets a final name.
 */
public final class BlobWriter implements AutoCloseable {
    private final BlobStore store;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest sha = BlobStore.sha256();
    private long size;
    private Digest sealed;
    private boolean committed;

    BlobWriter(BlobStore store, Path temp) throws IOException {
        this.store = store;
        this.temp = temp;
        this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
    }

    /**
     * Copies {@code in} to its end, reporting each chunk's length to {@code progress}. It writes what
     * each read returns rather than filling the buffer first: from a socket, filling 1 MiB before
     * writing it leaves the engine blocked on a full socket buffer while we write (measured: 25 %
     * slower than writing 32 KiB pieces as they come).
     */
    public void copyFrom(InputStream in, byte[] buffer, LongConsumer progress) throws IOException {
        for (int n; (n = in.read(buffer)) > 0; ) {
            write(buffer, n);
            progress.accept(n);
        }
    }

    /** An OutputStream view of this writer; closing it does not commit or abandon the blob. */
    public java.io.OutputStream asOutputStream() {
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                BlobWriter.this.write(new byte[] {(byte) b}, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (off == 0) {
                    BlobWriter.this.write(b, len);
                } else {
                    BlobWriter.this.write(java.util.Arrays.copyOfRange(b, off, off + len), len);
                }
            }
        };
    }

    /**
     * Appends to the blob. A full filesystem stops the run with exit code 4 (a
     * {@link dev.stowage.model.StowageException}); closing then deletes the partial temp file.
     */
    public void write(byte[] bytes, int length) throws IOException {
        sha.update(bytes, 0, length);
        ByteBuffer view = ByteBuffer.wrap(bytes, 0, length);
        try {
            while (view.hasRemaining()) {
                channel.write(view);
            }
        } catch (IOException e) {
            throw DiskFull.rethrow(e, temp, "storing a blob");
        }
        size += length;
    }

    /**
     * Ends the content and checks its digest, without any IO: the first half of a commit, done on
     * the thread that streams, so that a wrong digest is known before the next blob starts.
     *
     * @param expected the digest the content must have, or null to accept whatever it is
     * @throws BlobCorruptException on a mismatch; then nothing will ever be published
     */
    public Digest seal(Digest expected) {
        Digest actual = Digest.of(sha.digest());
        if (expected != null && !expected.equals(actual)) {
            throw new BlobCorruptException(expected, "the engine sent content that hashes to " + actual);
        }
        sealed = actual;
        return actual;
    }

    /**
     * The second half of a commit: fsyncs the sealed content and renames it under its digest
     * (then fsyncs the directory). It may run on another thread than {@link #seal}.
     *
     * @return the stored blob, and whether this call stored it (false: it was already there)
     */
    public Result publish() throws IOException {
        if (sealed == null) {
            throw new IllegalStateException("publish before seal");
        }
        boolean stored;
        try {
            channel.force(true);
            channel.close();
            stored = store.publish(temp, sealed);
        } catch (IOException e) {
            throw DiskFull.rethrow(e, temp, "storing blob " + sealed);
        }
        committed = true;
        return new Result(new BlobRef(sealed, size), stored);
    }

    /** Seals and publishes in one go. */
    public Result commit(Digest expected) throws IOException {
        seal(expected);
        return publish();
    }

    /** A committed blob, and whether it was newly stored. */
    public record Result(BlobRef blob, boolean stored) {
    }

    @Override
    public void close() {
        try {
            channel.close();
            if (!committed) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
