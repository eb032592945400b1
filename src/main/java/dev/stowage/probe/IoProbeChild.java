package dev.stowage.probe;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The active probe's IO, in a process of its own so that a write the disk never completes can
 * only hang this process, never stowage. Started by {@link ActiveProbe} (possibly before anyone
 * knows which directory it will probe, see {@link ProbeProcesses}); speaks a line protocol on
 * stdout: {@code ready}, then after {@code go MILLIS WRITES READS SLOW_MICROS DIR_URI} on stdin
 * {@code open MICROS MODE}, {@code w MICROS} per write, {@code r MICROS} per read, and
 * {@code done} (or {@code error TEXT}). Without a {@code go} line (its parent went away) it exits.
 *
 * <p>Writes are 4 KiB, direct and synchronous, one at a time, to a small temp file that is cycled
 * over, at most one every 5 ms: a queue depth of one never adds real load, yet a rate cap below
 * 200 operations a second still shows.
 */
public final class IoProbeChild {
    static final int BLOCKS = 16;
    static final long MIN_SPACING_NANOS = 5_000_000L;

    private IoProbeChild() {
    }

    /** No arguments: what to do comes with the {@code go} line. */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("ready");
        String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (go == null || !go.startsWith("go ")) {
            return;
        }
        String[] words = go.split(" ", 6); // go MILLIS WRITES READS SLOW_MICROS DIR_URI
        long deadline = System.nanoTime() + Long.parseLong(words[1]) * 1_000_000L;
        int writes = Integer.parseInt(words[2]);
        int reads = Integer.parseInt(words[3]);
        long slowMicros = Long.parseLong(words[4]);
        Path dir = Path.of(URI.create(words[5])); // a URI: any name fits on one line
        Path file = dir.resolve(".stowage-probe-" + ProcessHandle.current().pid() + ".tmp");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(file)));
        String outcome = "done";
        try {
            run(out, file, writes, reads, slowMicros, deadline);
        } catch (IOException | RuntimeException e) {
            outcome = "error " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ');
        } finally {
            // before the last word, so that whoever reads it finds the directory as it was
            deleteQuietly(file);
        }
        out.println(outcome);
    }

    private static void run(PrintStream out, Path file, int writes, int reads, long slowMicros, long deadline)
            throws IOException {
        long start = System.nanoTime();
        int size = ioSize(file.getParent());
        String mode = "direct+dsync";
        FileChannel channel;
        try {
            channel = FileChannel.open(file, options(true));
        } catch (IOException | UnsupportedOperationException e) {
            // tmpfs and some network filesystems refuse O_DIRECT; synchronous writes still tell us something
            mode = "dsync";
            deleteQuietly(file);
            channel = FileChannel.open(file, options(false));
        }
        out.println("open " + micros(start) + " " + mode);
        ByteBuffer buffer = ByteBuffer.allocateDirect(size * 2).alignedSlice(size);
        try (FileChannel ch = channel) {
            int written = 0;
            int slow = 0;
            long last = 0;
            for (int i = 0; i < writes && System.nanoTime() < deadline && slow < 4; i++) {
                last = pace(last);
                buffer.clear().limit(size);
                buffer.putLong(0, System.nanoTime()).putInt(8, i);
                long t = System.nanoTime();
                ch.write(buffer, (long) (i % BLOCKS) * size);
                long took = micros(t);
                out.println("w " + took);
                written++;
                slow += took >= slowMicros ? 1 : 0;
            }
            slow = 0;
            for (int i = 0; i < reads && written > 0 && System.nanoTime() < deadline && slow < 4; i++) {
                last = pace(last);
                buffer.clear().limit(size);
                long t = System.nanoTime();
                ch.read(buffer, (long) (i % Math.min(written, BLOCKS)) * size);
                long took = micros(t);
                out.println("r " + took);
                slow += took >= slowMicros ? 1 : 0;
            }
        }
    }

    private static OpenOption[] options(boolean direct) {
        List<OpenOption> options = new ArrayList<>(List.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.DSYNC));
        if (direct) {
            options.add(ExtendedOpenOption.DIRECT);
        }
        return options.toArray(new OpenOption[0]);
    }

    /** O_DIRECT wants the buffer, offset and length aligned to the filesystem's block size. */
    private static int ioSize(Path dir) throws IOException {
        long block = Files.getFileStore(dir).getBlockSize();
        return block > 4096 && block <= 65536 ? (int) block : 4096;
    }

    private static long pace(long lastNanos) {
        long wait = lastNanos + MIN_SPACING_NANOS - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        return System.nanoTime();
    }

    private static long micros(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1000;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the probe must not fail on cleanup; the name says what the file is
        }
    }
}
