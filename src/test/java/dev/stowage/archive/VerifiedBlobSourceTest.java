package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.stowage.model.BlobRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A regression here tends to hang rather than fail, hence the class-wide timeout. */
@Timeout(60)
class VerifiedBlobSourceTest {
    private static final long WINDOW = 64 * 1024;
    private static final Duration NO_DEADLOCK = Duration.ofSeconds(30);

    @TempDir
    Path root;

    private BlobStore store;

    @BeforeEach
    void open() throws IOException {
        store = BlobStore.open(root);
    }

    @Test
    void intactBlobsStreamThroughALoadStream() throws IOException {
        byte[] layer = Bytes.random(200_000, 1);
        byte[] config = Bytes.utf8("{\"rootfs\":{}}");
        BlobRef layerRef = put(layer);
        BlobRef configRef = put(config);
        LoadStream stream = new LoadStream(List.of(new LoadStream.Item(configRef, List.of("a:1"), List.of(layerRef))));

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, stream.blobOrder(), WINDOW);
                TarArchiveInputStream tar = new TarArchiveInputStream(stream.open(source, TransferListener.NONE))) {
            assertEquals("manifest.json", tar.getNextEntry().getName());
            TarArchiveEntry entry = tar.getNextEntry();
            assertEquals(layerRef.digest().hex() + "/layer.tar", entry.getName());
            assertArrayEquals(layer, tar.readAllBytes());
            assertEquals(configRef.digest().hex() + ".json", tar.getNextEntry().getName());
            assertArrayEquals(config, tar.readAllBytes());
            assertNull(tar.getNextEntry());
            assertNull(source.failure());
        }
    }

    @Test
    void corruptBlobOfTheRightLengthIsNeverHandedOut() throws IOException {
        BlobRef first = put(Bytes.random(10_000, 1));
        byte[] secondContent = Bytes.random(50_000, 2);
        BlobRef second = put(secondContent);
        BlobStoreTest.flipByte(store.path(second.digest()), 40_000);

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, List.of(first, second), WINDOW)) {
            try (InputStream in = source.open(first)) {
                assertEquals(first.size(), in.readAllBytes().length);
            }
            IOException e = assertThrows(IOException.class, () -> source.open(second));

            BlobCorruptException cause = assertInstanceOf(BlobCorruptException.class, e.getCause());
            assertEquals(second.digest(), cause.digest());
            assertNotNull(source.failure());
            assertEquals(second.digest(), source.failure().digest());
        }
    }

    @Test
    void loadStreamStopsBeforeACorruptBlobsContent() throws IOException {
        byte[] layer = Bytes.random(50_000, 2);
        BlobRef layerRef = put(layer);
        BlobRef configRef = put(Bytes.utf8("{}"));
        BlobStoreTest.flipByte(store.path(layerRef.digest()), 45_000);
        LoadStream stream = new LoadStream(List.of(new LoadStream.Item(configRef, List.of(), List.of(layerRef))));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, stream.blobOrder(), WINDOW)) {
            InputStream in = stream.open(source, TransferListener.NONE);
            assertThrows(IOException.class, () -> in.transferTo(sent));
            assertEquals(layerRef.digest(), source.failure().digest());
        }
        assertFalse(contains(sent.toByteArray(), Arrays.copyOf(layer, 1024)), "no byte of the corrupt blob was sent");
    }

    @Test
    void blobCutShortAfterVerificationIsCaughtWhileStreaming() throws IOException {
        BlobRef blob = put(Bytes.random(100_000, 3));

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, List.of(blob), WINDOW)) {
            InputStream in = source.open(blob); // returns only once the blob was verified
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(store.path(blob.digest()).toFile(), "rw")) {
                file.setLength(99_000); // a same-length change in this window is the engine's to catch (diff-ids)
            }

            IOException e = assertThrows(IOException.class, in::readAllBytes);

            assertInstanceOf(BlobCorruptException.class, e.getCause());
            assertEquals(blob.digest(), source.failure().digest());
            in.close();
        }
    }

    @Test
    void growthAfterVerificationIsCaughtWhileStreaming() throws IOException {
        BlobRef blob = put(Bytes.random(10_000, 4));

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, List.of(blob), WINDOW)) {
            InputStream in = source.open(blob);
            Files.write(store.path(blob.digest()), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

            assertThrows(IOException.class, in::readAllBytes);
            assertEquals(blob.digest(), source.failure().digest());
            in.close();
        }
    }

    @Test
    void verificationStaysWithinTheWindowAheadOfTheReader() throws Exception {
        BlobRef first = put(Bytes.random((int) WINDOW, 5));
        BlobRef second = put(Bytes.random((int) WINDOW, 6));
        BlobRef third = put(Bytes.random(1024, 7));
        BlobStoreTest.flipByte(store.path(third.digest()), 0);

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, List.of(first, second, third), WINDOW)) {
            Thread.sleep(300);
            assertNull(source.failure(), "the verifier ran more than one window ahead of the reader");

            try (InputStream in = source.open(first)) {
                in.readAllBytes();
            }
            try (InputStream in = source.open(second)) {
                in.readAllBytes();
            }
            assertThrows(IOException.class, () -> source.open(third));
            assertEquals(third.digest(), source.failure().digest());
        }
    }

    @Test
    void blobsBiggerThanTheWindowDoNotDeadlock() throws IOException {
        BlobRef big = put(Bytes.random(300_000, 8));
        BlobRef bigger = put(Bytes.random(500_000, 9));
        BlobRef small = put(Bytes.random(100, 10));
        BlobRef config = put(Bytes.utf8("{\"a\":1}"));
        LoadStream stream = new LoadStream(List.of(new LoadStream.Item(config, List.of("a:1"),
                List.of(big, bigger, small))));

        for (long window : List.of(0L, 1024L, WINDOW)) {
            assertTimeoutPreemptively(NO_DEADLOCK, () -> {
                try (VerifiedBlobSource source = new VerifiedBlobSource(store, stream.blobOrder(), window);
                        InputStream in = stream.open(source, TransferListener.NONE)) {
                    assertEquals(stream.length(), in.transferTo(java.io.OutputStream.nullOutputStream()));
                    assertNull(source.failure());
                }
            }, "window " + window);
        }
    }

    @Test
    void unannouncedBlobIsRefused() throws IOException {
        BlobRef announced = put(Bytes.random(10, 11));
        BlobRef other = put(Bytes.random(10, 12));

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, List.of(announced), WINDOW)) {
            assertThrows(IllegalArgumentException.class, () -> source.open(other));
        }
    }

    private BlobRef put(byte[] content) throws IOException {
        try (BlobWriter writer = store.newWriter()) {
            writer.write(content, content.length);
            return writer.commit(null).blob();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
