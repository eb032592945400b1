package dev.stowage.archive;

import dev.stowage.model.BlobRef;

/** Told about a tar stream's progress; called on the thread that moves the bytes. */
public interface TransferListener {
    TransferListener NONE = new TransferListener() {
    };

    /** {@code n} more bytes of blob content moved. */
    default void bytes(long n) {
    }

    /** A blob finished; {@code stored} is false when the store already had it. */
    default void blobDone(BlobRef blob, boolean stored) {
    }
}
