package dev.stowage.archive;

import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * As it streams, each blob's length is checked again: a blob cut short after its verification
 * fails the load instead of shifting the tar. Hashing it a second time would double the CPU spent
 * beside an engine that is itself CPU-bound while it loads, for a window of seconds.
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

    @Override
    public InputStream open(BlobRef blob) throws IOException {
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
        return new Measured(store.open(blob.digest()), blob, permits(blob));
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

    /** Streams a verified blob, checking its length and releasing its share of the window at the end. */
    private final class Measured extends FilterInputStream {
        private final BlobRef blob;
        private final int permits;
        private long seen;
        private boolean released;

        Measured(InputStream in, BlobRef blob, int permits) {
            super(in);
            this.blob = blob;
            this.permits = permits;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = blob.size() - seen;
            int n = super.read(b, off, (int) Math.min(len, left + 1));
            if (n > 0) {
                seen += n;
                if (seen > blob.size()) {
                    throw changed("it grew past " + blob.size() + " bytes after it was verified");
                }
            } else if (n < 0 && seen != blob.size()) {
                throw changed("it shrank to " + seen + " bytes after it was verified");
            }
            return n;
        }

        private IOException changed(String problem) {
            BlobCorruptException e = new BlobCorruptException(blob.digest(), problem);
            failure.compareAndSet(null, e);
            return new IOException(e.getMessage(), e);
        }

        @Override
        public void close() throws IOException {
            if (!released) {
                released = true;
                window.release(permits);
            }
            super.close();
        }
    }
}
