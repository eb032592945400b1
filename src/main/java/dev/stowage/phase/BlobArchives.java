package dev.stowage.phase;

import dev.stowage.archive.BlobStore;
import dev.stowage.archive.BlobWriter;
import dev.stowage.archive.Compression;
import dev.stowage.model.BlobRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Stores an archive that Stowage writes itself (a volume, a writable layer) as a blob:
 * compressed as asked, hashed as it streams, published under its digest. Equal archives make
 * one blob.
 */
final class BlobArchives {
    private BlobArchives() {
    }

    /** Produces the uncompressed archive into the stream it is given. */
    @FunctionalInterface
    interface Producer<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    record Stored<T>(BlobRef blob, boolean newlyStored, T result) {
    }

    static <T> Stored<T> store(BlobStore store, Compression compression, Producer<T> producer) throws IOException {
        try (BlobWriter writer = store.newWriter()) {
            T result;
            try (OutputStream out = compression.compress(writer.asOutputStream())) {
                result = producer.writeTo(out);
            }
            writer.seal(null);
            BlobWriter.Result stored = writer.publish();
            return new Stored<>(stored.blob(), stored.stored(), result);
        }
    }

    /** Opens a stored archive after checking the blob's length and digest, decompressed. */
    static InputStream open(BlobStore store, BlobRef blob, Compression compression) throws IOException {
        store.verify(blob.digest(), blob.size());
        return compression.decompress(store.open(blob.digest()));
    }
}
