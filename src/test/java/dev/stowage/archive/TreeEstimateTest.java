package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimate against the archive TreeWriter really writes, on trees of different make-up. */
class TreeEstimateTest {
    @TempDir
    Path root;

    @Test
    void manySmallTextFilesAreEstimatedWithinTenPercentRawAndCompressed() throws IOException {
        Random random = new Random(1);
        for (int d = 0; d < 20; d++) {
            Path dir = Files.createDirectories(root.resolve("dir-" + d));
            for (int f = 0; f < 100; f++) {
                Files.writeString(dir.resolve("file-" + f + ".txt"), text(random, 200 + random.nextInt(3000)));
            }
        }
        check("small text files", 0.02, 0.10);
    }

    @Test
    void randomDataDoesNotCompressAndTextDoes() throws IOException {
        Random random = new Random(2);
        byte[] noise = new byte[24 << 20];
        random.nextBytes(noise);
        Files.write(root.resolve("noise.bin"), noise);
        Files.writeString(root.resolve("app.log"), text(random, 16 << 20));
        TreeEstimate estimate = check("noise and a log", 0.02, 0.10);
        assertTrue(estimate.sampledBytes() < 20L << 20, "sampled only part of 40 MiB: " + estimate.sampledBytes());
    }

    @Test
    void sparseFilesCountTheirDataNotTheirHolesAndHardlinksCountOnce() throws IOException {
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("disk.img").toFile(), "rw")) {
            sparse.setLength(1L << 30);
            sparse.seek(512L << 20);
            sparse.write(new byte[4096]);
        }
        byte[] data = new byte[3 << 20];
        new Random(3).nextBytes(data);
        Files.write(root.resolve("a"), data);
        Files.createLink(root.resolve("b"), root.resolve("a"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("x".repeat(150)));
        TreeEstimate estimate = check("sparse and links", 0.02, 0.10);
        assertTrue(estimate.archiveBytes() < 8L << 20, "the 1 GiB hole is not counted");
    }

    @Test
    void noCompressionMeansTheArchiveAsIs() throws IOException {
        Files.writeString(root.resolve("f"), "x".repeat(100_000));
        TreeEstimate estimate = TreeEstimate.of(root, Compression.NONE);
        assertEquals(estimate.archiveBytes(), estimate.storedBytes(Compression.NONE));
        assertEquals(0, estimate.sampledBytes(), "nothing to sample without compression");
    }

    /** Asserts raw and zstd estimates within the given fractions of the real archive; prints the figures. */
    private TreeEstimate check(String label, double rawTolerance, double zstdTolerance) throws IOException {
        TreeEstimate estimate = TreeEstimate.of(root, Compression.ZSTD);
        long raw = written(Compression.NONE);
        long packed = written(Compression.ZSTD);
        double rawError = (double) estimate.archiveBytes() / raw - 1;
        double packedError = (double) estimate.storedBytes(Compression.ZSTD) / packed - 1;
        System.out.printf(Locale.ROOT, "TREE-ESTIMATE %-18s raw %d est %d (%+.1f %%), zstd %d est %d (%+.1f %%),"
                + " sampled %d%n", label, raw, estimate.archiveBytes(), rawError * 100, packed,
                estimate.storedBytes(Compression.ZSTD), packedError * 100, estimate.sampledBytes());
        assertTrue(Math.abs(rawError) <= rawTolerance, label + " raw off by " + rawError);
        assertTrue(Math.abs(packedError) <= zstdTolerance, label + " zstd off by " + packedError);
        return estimate;
    }

    private long written(Compression compression) throws IOException {
        Counting counting = new Counting();
        try (OutputStream out = compression.compress(counting)) {
            TreeWriter.write(root, out);
        }
        return counting.count;
    }

    private static String text(Random random, int length) {
        String[] words = {"GET", "/api/v1/items", "200", "INFO", "request", "served", "in", "ms", "user", "id",
            "session", "cache", "miss", "hit", "WARN", "retry"};
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(10) == 0 ? '\n' : ' ');
            if (random.nextInt(20) == 0) {
                text.append(random.nextInt(100_000));
            }
        }
        return new String(text.toString().getBytes(StandardCharsets.US_ASCII), 0, length, StandardCharsets.US_ASCII);
    }

    private static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
