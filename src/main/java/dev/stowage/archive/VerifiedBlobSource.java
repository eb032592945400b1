package dev.stowage.archive;

import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands out blob content only after it has been verified, so that a damaged blob never reaches
 * the engine. A background thread re-hashes blobs in the order they will be read, staying at most
 * {@code window} bytes ahead of the reader: far enough to hide the cost of hashing behind the
 * engine's slower load, near enough that the second read still finds the blob in the page cache.
 * As it is sent, {@link LoadStream} checks each blob's length again: a blob cut short after its
 * verification fails the load instead of shifting the tar. Hashing it a second time would double
 * the CPU spent beside an engine that is itself CPU-bound while it loads, for a window of seconds.
 */
public final class VerifiedBlobSource implements LoadStream.BlobSource, AutoCloseable {
    private static final long KIB = 1024;

    private final BlobStore store;
    private final Semaphore window;
    private final int windowKib;
    private final ExecutorService verifier;
    private final Map<Digest, CompletableFuture<Void>> verified = new LinkedHashMap<>();
    private final AtomicReference<BlobCorruptException> failure = new AtomicReference<>();

    public VerifiedBlobSource(BlobStore store, List<BlobRef> order, long windowBytes) {
        this.store = store;
        this.windowKib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, windowBytes / KIB));
        this.window = new Semaphore(windowKib);
        this.verifier = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "blob-verifier");
            thread.setDaemon(true);
            return thread;
        });
        for (BlobRef blob : order) {
            verified.put(blob.digest(), CompletableFuture.runAsync(() -> verify(blob), verifier));
        }
    }

    /** The first damaged blob found, if any: the reason a load was cut short. */
    public BlobCorruptException failure() {
        return failure.get();
    }

    /** The blob, once its verification passed; its share of the window is held until {@link #done}. */
    @Override
    public FileChannel open(BlobRef blob) throws IOException {
        CompletableFuture<Void> check = verified.get(blob.digest());
        if (check == null) {
            throw new IllegalArgumentException("blob " + blob.digest() + " was not announced");
        }
        try {
            check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while verifying " + blob.digest(), e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
        return FileChannel.open(store.path(blob.digest()));
    }

    /** Called once per blob ({@link LoadStream} sends each once): its share of the window goes back. */
    @Override
    public void done(BlobRef blob) {
        window.release(permits(blob));
    }

    private void verify(BlobRef blob) {
        if (failure.get() != null) {
            throw failure.get();
        }
        try {
            window.acquire(permits(blob));
            store.verify(blob.digest(), blob.size());
        } catch (BlobCorruptException e) {
            failure.compareAndSet(null, e);
            throw e;
        } catch (IOException e) {
            BlobCorruptException unreadable = new BlobCorruptException(blob.digest(), "it cannot be read: " + e);
            failure.compareAndSet(null, unreadable);
            throw unreadable;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("blob verification interrupted", e);
        }
    }

    /**
     * A blob's share of the window: its size, but at most half the window, so that a blob bigger
     * than the window starts its verification while the blobs before it still stream. Were it to
     * wait for the whole window, the engine would sit idle while it is hashed (a 1 GiB layer: most
     * of a second).
     */
    private int permits(BlobRef blob) {
        return (int) Math.max(1, Math.min(Math.max(1, windowKib / 2), blob.size() / KIB));
    }

    @Override
    public void close() {
        verifier.shutdownNow();
    }
}
