package dev.stowage.archive;

import dev.stowage.model.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Stores blobs read from local sources, each hashed on the way and checked against the digest it
 * must have; a matching blob is published (fsync, rename, fsync dir) on a background thread while
 * the next one is read, as {@link SaveStream} does for a save stream.
 */
public final class BlobCopy implements AutoCloseable {
    /** A file source fills the whole buffer; 256 KiB writes cost less in the kernel than 1 MiB ones. */
    private static final int BUFFER = 256 << 10;

    private final BlobStore store;
    private final TransferListener listener;
    private final Committer committer = new Committer();
    private final byte[] buffer = new byte[BUFFER];

    public BlobCopy(BlobStore store, TransferListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /**
     * Copies {@code in} to its end into a new blob, which must hash to {@code expected}.
     *
     * @throws BlobCorruptException on another digest; nothing is stored then
     */
    public void store(InputStream in, Digest expected) throws IOException {
        BlobWriter writer = store.newWriter();
        try {
            writer.copyFrom(in, buffer, listener::bytes);
            writer.seal(expected);
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        committer.submit(writer, result -> listener.blobDone(result.blob(), result.stored()));
    }

    /** Waits until every blob stored so far is published, and reports each to the listener. */
    public void finish() {
        committer.drainAll();
    }

    @Override
    public void close() {
        committer.close();
    }
}
