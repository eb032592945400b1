package dev.stowage.archive;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * How volume and layer archives are stored: {@code none}, or {@code zstd} at level 3 with one
 * worker thread per CPU up to {@link #MAX_WORKERS} (what {@code zstd -T0 -3} does on a small host),
 * with the frame checksum on.
 */
public enum Compression {
    NONE, ZSTD;

    private static final int LEVEL = 3;
    /**
     * Each zstd worker holds its own job buffers (some 20 MiB at level 3) outside the Java heap: on a
     * 64-CPU host, one per CPU would add more than a gigabyte to the run's memory. Four workers
     * already compress faster than most disks write.
     */
    static final int MAX_WORKERS = 4;
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    /** Parses the {@code --compress} value. */
    public static Compression parse(String text) {
        for (Compression compression : values()) {
            if (compression.label().equals(text.toLowerCase(Locale.ROOT))) {
                return compression;
            }
        }
        throw new StowageException(ExitCode.USAGE, "unknown compression '" + text + "'", "use zstd or none");
    }

    /** The name used on the command line and in the manifest. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Wraps {@code out}; closing the result finishes the compressed frame and closes {@code out}. */
    public OutputStream compress(OutputStream out) throws IOException {
        if (this == NONE) {
            return out;
        }
        ZstdOutputStream zstd = new ZstdOutputStream(out, LEVEL);
        zstd.setWorkers(workers(Runtime.getRuntime().availableProcessors()));
        zstd.setChecksum(true);
        return zstd;
    }

    /** zstd worker threads for a host with {@code cpus} CPUs. */
    static int workers(int cpus) {
        return Math.max(1, Math.min(cpus, MAX_WORKERS));
    }

    /**
     * The length {@code length} bytes of {@code data} take once compressed on their own (one frame,
     * same level): for estimating a ratio from samples without writing anything.
     */
    public long compressedSize(byte[] data, int length) {
        if (this == NONE) {
            return length;
        }
        return com.github.luben.zstd.Zstd.compress(java.util.Arrays.copyOf(data, length), LEVEL).length;
    }

    /** Unwraps {@code in}; zstd decompresses in a thread of its own, ahead of the reader. */
    public InputStream decompress(InputStream in) throws IOException {
        return this == NONE ? in : new ReadAhead(new ZstdInputStream(in), TreeWriter.BUFFER, 4);
    }

    /** Decompresses if {@code in} starts with a zstd frame, else passes it through. */
    public static InputStream detect(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, TreeWriter.BUFFER);
        buffered.mark(ZSTD_MAGIC.length);
        byte[] head = buffered.readNBytes(ZSTD_MAGIC.length);
        buffered.reset();
        return java.util.Arrays.equals(head, ZSTD_MAGIC) ? ZSTD.decompress(buffered) : buffered;
    }
}
