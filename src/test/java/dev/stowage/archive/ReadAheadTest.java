package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    @Test
    void deliversEveryByteInOrder() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), 4096, 3)) {
            byte[] back = new byte[data.length];
            back[0] = (byte) in.read();
            int done = 1;
            for (int n; done < back.length && (n = in.read(back, done, Math.min(777, back.length - done))) > 0; ) {
                done += n;
            }
            assertEquals(data.length, done);
            assertEquals(-1, in.read());
            assertArrayEquals(data, back);
        }
    }

    @Test
    void passesOnTheSourcesFailure() {
        InputStream failing = new InputStream() {
            private int left = 10_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("disk gone");
                }
                return 1;
            }
        };
        IOException failure = assertThrows(IOException.class, () -> {
            try (ReadAhead in = new ReadAhead(failing, 1024, 2)) {
                in.readAllBytes();
            }
        });
        assertTrue(failure.getMessage().contains("disk gone"), failure.getMessage());
    }
}
