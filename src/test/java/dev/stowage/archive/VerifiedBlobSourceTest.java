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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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
                TarArchiveInputStream tar = new TarArchiveInputStream(
                        new ByteArrayInputStream(written(stream, source)))) {
            assertEquals("manifest.json", tar.getNextEntry().getName());
            assertEquals(configRef.digest().hex() + ".json", tar.getNextEntry().getName());
            assertArrayEquals(config, tar.readAllBytes());
            TarArchiveEntry entry = tar.getNextEntry();
            assertEquals(layerRef.digest().hex() + "/layer.tar", entry.getName());
            assertArrayEquals(layer, tar.readAllBytes());
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
            try (FileChannel in = source.open(first)) {
                assertEquals(first.size(), in.size());
            }
            source.done(first);
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
            assertThrows(UncheckedIOException.class,
                    () -> stream.writeTo(Channels.newChannel(sent), source, TransferListener.NONE));
            assertEquals(layerRef.digest(), source.failure().digest());
        }
        assertFalse(contains(sent.toByteArray(), Arrays.copyOf(layer, 1024)), "no byte of the corrupt blob was sent");
    }

    @Test
    void blobCutShortAfterVerificationIsCaughtWhileStreaming() throws IOException {
        BlobRef layer = put(Bytes.random(100_000, 3));
        LoadStream stream = oneImage(layer);

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, stream.blobOrder(), WINDOW)) {
            // a same-length change in this window is the engine's to catch (diff-ids); a length change is ours
            BlobCorruptException e = assertThrows(BlobCorruptException.class,
                    () -> written(stream, changingAfterVerification(source, layer, 99_000)));

            assertEquals(layer.digest(), e.digest());
        }
    }

    @Test
    void growthAfterVerificationIsCaughtWhileStreaming() throws IOException {
        BlobRef layer = put(Bytes.random(10_000, 4));
        LoadStream stream = oneImage(layer);

        try (VerifiedBlobSource source = new VerifiedBlobSource(store, stream.blobOrder(), WINDOW)) {
            BlobCorruptException e = assertThrows(BlobCorruptException.class,
                    () -> written(stream, changingAfterVerification(source, layer, 10_003)));

            assertEquals(layer.digest(), e.digest());
        }
    }

    /** {@code source}, except that {@code blob}'s file is resized to {@code length} once it is handed out. */
    private LoadStream.BlobSource changingAfterVerification(VerifiedBlobSource source, BlobRef blob, long length) {
        return new LoadStream.BlobSource() {
            @Override
            public FileChannel open(BlobRef opened) throws IOException {
                FileChannel channel = source.open(opened);
                if (opened.equals(blob)) {
                    try (RandomAccessFile file = new RandomAccessFile(store.path(blob.digest()).toFile(), "rw")) {
                        file.setLength(length);
                    }
                }
                return channel;
            }

            @Override
            public void done(BlobRef opened) {
                source.done(opened);
            }
        };
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

            source.open(first).close();
            source.done(first);
            source.open(second).close();
            source.done(second);
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
                try (VerifiedBlobSource source = new VerifiedBlobSource(store, stream.blobOrder(), window)) {
                    assertEquals(stream.length(), written(stream, source).length);
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

    private LoadStream oneImage(BlobRef layer) throws IOException {
        return new LoadStream(List.of(new LoadStream.Item(put(Bytes.utf8("{}")), List.of(), List.of(layer))));
    }

    private static byte[] written(LoadStream stream, LoadStream.BlobSource source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.writeTo(Channels.newChannel(out), source, TransferListener.NONE);
        return out.toByteArray();
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
