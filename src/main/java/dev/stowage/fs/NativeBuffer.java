package dev.stowage.fs;

import com.sun.jna.Memory;

/**
 * A reusable I/O buffer: native memory for the system call plus a heap array of the same size for
 * Java streams. One per worker, never one per file: allocating per file would cost more than the
 * small files it reads.
 */
public final class NativeBuffer implements AutoCloseable {
    final Memory memory;
    private final byte[] array;

    public NativeBuffer(int size) {
        this.memory = new Memory(size);
        this.array = new byte[size];
    }

    public int size() {
        return array.length;
    }

    /** The heap side: after a read it holds the bytes read; before a write, the bytes to write. */
    public byte[] array() {
        return array;
    }

    void toNative(int length) {
        memory.write(0, array, 0, length);
    }

    @Override
    public void close() {
        memory.close();
    }
}
