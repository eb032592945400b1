package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressionTest {
    @Test
    void workersFollowTheCpusUpToTheCap() {
        assertEquals(1, Compression.workers(1));
        assertEquals(2, Compression.workers(2));
        assertEquals(Compression.MAX_WORKERS, Compression.workers(Compression.MAX_WORKERS));
        assertEquals(Compression.MAX_WORKERS, Compression.workers(64));
        assertEquals(1, Compression.workers(0));
    }

    @Test
    void zstdRoundTripsAndShrinksText() throws IOException {
        byte[] data = new byte[3 << 20];
        Random random = new Random(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + random.nextInt(4));
        }
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (OutputStream out = Compression.ZSTD.compress(packed)) {
            out.write(data);
        }
        assertTrue(packed.size() < data.length / 2, "4-letter text compresses at least 2:1, got " + packed.size());
        try (InputStream in = Compression.ZSTD.decompress(new ByteArrayInputStream(packed.toByteArray()))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void unknownNameIsAUsageErrorNamingTheChoices() {
        StowageException e = assertThrows(StowageException.class, () -> Compression.parse("lz4"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("lz4"), e.getMessage());
        assertEquals(Compression.ZSTD, Compression.parse("ZSTD"));
    }
}
