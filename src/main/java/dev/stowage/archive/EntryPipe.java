package dev.stowage.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Carries archive entries and their bytes from a thread that reads a tree to the caller's thread,
 * which writes the tar stream: the reading side's system calls (statx, openat, pread, flistxattr,
 * close: about half of an archive's kernel time on a volume of small files) run on one core while
 * the tar framing and the output's write calls run on another, as {@code tar | zstd} splits work
 * between two processes. GNU tar does all of it on one.
 *
 * <p>Entries travel in batches of up to {@link #CHUNK} bytes of file data, many small files to a
 * batch, so the threads meet about once per chunk rather than once per file. Memory is
 * {@link #BATCHES} chunks, whatever the tree. Order is kept: the tar stream is exactly what one
 * thread would have written. A failure on either side stops both: the reader's is rethrown to the
 * caller as it was thrown; a writer's stops the reader before it is rethrown.
 */
final class EntryPipe {
    static final int CHUNK = 256 << 10;
    private static final int BATCHES = 6;
    private static final int MAX_OPS = 2048;

    /** Where the entries go, on the caller's thread. */
    interface Sink {
        void begin(TreeEntry entry) throws IOException;

        void write(byte[] bytes, int offset, int length) throws IOException;

        void end() throws IOException;
    }

    /** What produces the entries, on the reading thread. */
    interface Source {
        void produce(EntryPipe pipe) throws IOException;
    }

    /** One step for the writer: begin an entry, write a range of bytes, or end the entry. */
    private record Op(Supplier<TreeEntry> begin, byte[] bytes, int offset, int length) {
        static final Op END = new Op(null, null, 0, -1);
    }

    private static final class Batch {
        final byte[] data;
        final List<Op> ops = new ArrayList<>();
        int used;
        boolean last;
        Throwable failure;

        Batch(int size) {
            data = new byte[size];
        }
    }

    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES + 1);
    private Batch current;

    private EntryPipe() {
        for (int i = 0; i < BATCHES; i++) {
            empty.add(new Batch(CHUNK));
        }
    }

    /** Runs {@code source} on a thread of its own and feeds what it produces into {@code sink} here. */
    static void run(Source source, Sink sink) throws IOException {
        EntryPipe pipe = new EntryPipe();
        Thread reader = new Thread(() -> pipe.produce(source), "stowage-tree-read");
        reader.setDaemon(true);
        reader.start();
        boolean finished = false;
        try {
            pipe.consume(sink);
            finished = true;
        } finally {
            if (!finished) {
                reader.interrupt(); // a reader waiting for a free batch stops there
            }
            joinQuietly(reader);
        }
    }

    private void produce(Source source) {
        try {
            current = empty.take();
            source.produce(this);
            current.last = true;
            full.put(current);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the writer gave up; nobody waits for more
        } catch (Throwable e) { // handed to the writer's thread, which rethrows it
            Batch failed = new Batch(0);
            failed.last = true;
            failed.failure = e;
            full.add(failed); // never blocks: one place more than there are batches
        }
    }

    private void consume(Sink sink) throws IOException {
        while (true) {
            Batch batch;
            try {
                batch = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while archiving");
            }
            if (batch.failure != null) {
                throw rethrow(batch.failure);
            }
            for (Op op : batch.ops) {
                if (op.begin() != null) {
                    sink.begin(op.begin().get());
                } else if (op == Op.END) {
                    sink.end();
                } else {
                    sink.write(op.bytes(), op.offset(), op.length());
                }
            }
            if (batch.last) {
                return;
            }
            batch.ops.clear();
            batch.used = 0;
            empty.add(batch);
        }
    }

    private static IOException rethrow(Throwable failure) {
        if (failure instanceof IOException e) {
            return e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new UncheckedIOException(new IOException("reading the tree failed", failure));
    }

    private static void joinQuietly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // The reading side's calls.

    /** Starts an entry; {@code entry} is called on the writing thread, so it must only read values. */
    void begin(Supplier<TreeEntry> entry) throws IOException {
        add(new Op(entry, null, 0, 0));
    }

    void end() throws IOException {
        add(Op.END);
    }

    /** Copies {@code bytes} in (small records such as a sparse map). */
    void write(byte[] bytes) throws IOException {
        for (int done = 0; done < bytes.length; ) {
            int n = Math.min(room(), bytes.length - done);
            System.arraycopy(bytes, done, array(), position(), n);
            filled(n);
            done += n;
        }
    }

    /** Free bytes in the current batch, at least one: {@link #array()} from {@link #position()} on. */
    int room() throws IOException {
        if (current.used == current.data.length || current.ops.size() >= MAX_OPS) {
            pass();
        }
        return current.data.length - current.used;
    }

    byte[] array() {
        return current.data;
    }

    int position() {
        return current.used;
    }

    /** The next {@code n} bytes at {@link #position()} have been filled in. */
    void filled(int n) throws IOException {
        int at = current.used;
        current.used += n;
        List<Op> ops = current.ops;
        Op previous = ops.isEmpty() ? null : ops.get(ops.size() - 1);
        if (previous != null && previous.bytes() == current.data && previous.offset() + previous.length() == at) {
            ops.set(ops.size() - 1, new Op(null, current.data, previous.offset(), previous.length() + n));
        } else {
            ops.add(new Op(null, current.data, at, n));
        }
    }

    private void add(Op op) throws IOException {
        if (current.ops.size() >= MAX_OPS) {
            pass();
        }
        current.ops.add(op);
    }

    /** Hands the current batch to the writer and takes an empty one, waiting if all are in use. */
    private void pass() throws IOException {
        try {
            full.put(current);
            current = empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the writing side stopped");
        }
    }
}
