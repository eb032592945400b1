package dev.stowage.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Publishes sealed blobs (fsync, rename, fsync dir) on a background thread, in order, so that
 * waiting for the disk to take a large blob does not stall the stream that brings the next one.
 * Completion callbacks run on the caller's thread, in submission order, when it drains.
 */
final class Committer implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "blob-committer");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Pending> pending = new ArrayDeque<>();

    private record Pending(Future<BlobWriter.Result> result, Consumer<BlobWriter.Result> onDone) {
    }

    /** Hands over a sealed writer; the committer closes it. */
    void submit(BlobWriter writer, Consumer<BlobWriter.Result> onDone) {
        pending.add(new Pending(thread.submit(() -> {
            try (writer) {
                return writer.publish();
            }
        }), onDone));
        drainCompleted();
    }

    /** Runs the callbacks of the blobs published so far, stopping at the first still in flight. */
    void drainCompleted() {
        while (!pending.isEmpty() && pending.peek().result().isDone()) {
            finish(pending.poll());
        }
    }

    /** Waits for every submitted blob and runs the remaining callbacks. */
    void drainAll() {
        while (!pending.isEmpty()) {
            finish(pending.poll());
        }
    }

    private static void finish(Pending next) {
        try {
            next.onDone().accept(next.result().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing blobs", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Lets blobs already sealed finish publishing (they are complete and checked), then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            while (!thread.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                // a slow disk: keep waiting, a half-published blob must not be abandoned mid-rename
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
