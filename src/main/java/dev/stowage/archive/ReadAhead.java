package dev.stowage.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads its source in a thread of its own, a few chunks ahead of the consumer, as {@code zstd -d |
 * tar -x} does with two processes: decompression runs on one core while extraction's system calls
 * run on another. Memory is {@code depth + 2} chunks.
 */
final class ReadAhead extends InputStream {
    private static final byte[] END = new byte[0];

    private final InputStream source;
    private final BlockingQueue<Chunk> filled;
    private final BlockingQueue<byte[]> empty;
    private final Thread reader;
    private Chunk current = new Chunk(new byte[0], 0, null);
    private int position;
    private volatile boolean closed;

    /** A filled buffer, or the end ({@code data == END}), or the source's failure. */
    private record Chunk(byte[] data, int length, IOException failure) {
    }

    ReadAhead(InputStream source, int chunkSize, int depth) {
        this.source = source;
        this.filled = new ArrayBlockingQueue<>(depth);
        this.empty = new ArrayBlockingQueue<>(depth + 2);
        for (int i = 0; i < depth + 2; i++) {
            empty.add(new byte[chunkSize]);
        }
        this.reader = new Thread(this::fill, "stowage-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void fill() {
        try {
            while (!closed) {
                byte[] buffer = empty.take();
                int n = source.readNBytes(buffer, 0, buffer.length);
                if (n > 0) {
                    filled.put(new Chunk(buffer, n, null));
                }
                if (n < buffer.length) {
                    filled.put(new Chunk(END, 0, null));
                    return;
                }
            }
        } catch (IOException e) {
            offer(new Chunk(END, 0, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed by the consumer
        }
    }

    private void offer(Chunk chunk) {
        try {
            filled.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves to the next chunk; false at the end. */
    private boolean advance() throws IOException {
        if (current.data() == END) {
            if (current.failure() != null) {
                throw new IOException("reading ahead failed: " + current.failure().getMessage(), current.failure());
            }
            return false;
        }
        if (current.length() > 0) {
            empty.add(current.data());
        }
        try {
            current = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        position = 0;
        return current.data() != END || advance();
    }

    @Override
    public int read() throws IOException {
        if (position >= current.length() && !advance()) {
            return -1;
        }
        return current.data()[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= current.length() && !advance()) {
            return -1;
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.data(), position, b, off, n);
        position += n;
        return n;
    }

    /** What is already here: never a system call (commons-compress asks once per entry). */
    @Override
    public int available() {
        return current.length() - position;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        source.close();
    }
}
