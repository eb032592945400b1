package dev.stowage.archive;

import dev.stowage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Stores blobs one after another, each hashed on the way and checked against the digest it must
 * have; a matching blob is published (fsync, rename, fsync dir) on a background thread while the
 * next one is read. The sources are the daemon's layer files ({@code ImageCopy}) or the entries of
 * a save stream ({@link SaveStream}).
 */
public final class BlobCopy implements AutoCloseable {
    /** For a file source, which fills the whole buffer: 256 KiB writes cost less in the kernel than 1 MiB ones. */
    static final int FILE_BUFFER = 256 << 10;

    private final BlobStore store;
    private final TransferListener listener;
    private final Committer committer = new Committer();
    private final byte[] buffer;

    public BlobCopy(BlobStore store, TransferListener listener) {
        this(store, listener, FILE_BUFFER);
    }

    BlobCopy(BlobStore store, TransferListener listener, int bufferSize) {
        this.store = store;
        this.listener = listener;
        this.buffer = new byte[bufferSize];
    }

    /**
     * Copies {@code in} to its end into a new blob, which must hash to {@code expected}.
     *
     * @throws BlobCorruptException on another digest; nothing is stored then
     */
    public void store(InputStream in, Digest expected) throws IOException {
        store(in, expected, result -> {
        });
    }

    /**
     * As {@link #store(InputStream, Digest)}; {@code onDone} runs once the blob is published, before
     * the listener hears of it, on the caller's thread.
     *
     * @param expected the digest the content must have, or null to store whatever it hashes to
     */
    void store(InputStream in, Digest expected, Consumer<BlobWriter.Result> onDone) throws IOException {
        BlobWriter writer = store.newWriter();
        try {
            writer.copyFrom(in, buffer, listener::bytes);
            writer.seal(expected);
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        committer.submit(writer, result -> {
            onDone.accept(result);
            listener.blobDone(result.blob(), result.stored());
        });
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
