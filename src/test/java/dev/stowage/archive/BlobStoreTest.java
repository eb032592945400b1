package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    private static final byte[] CONTENT = Bytes.random(3 * 1024 * 1024 + 17, 1);
    private static final Digest DIGEST = Bytes.sha256(CONTENT);

    @TempDir
    Path root;

    private BlobStore store;

    @BeforeEach
    void open() throws IOException {
        store = BlobStore.open(root);
    }

    @Test
    void commitPublishesUnderTheDigestOnlyAtCommit() throws IOException {
        try (BlobWriter writer = store.newWriter()) {
            writer.write(CONTENT, CONTENT.length);

            assertEquals(List.of(), list(blobDir()), "nothing may carry a final name before commit");
            assertEquals(1, list(tmpDir()).size(), "the bytes go to one temp file");

            BlobWriter.Result result = writer.commit(DIGEST);

            assertTrue(result.stored());
            assertEquals(new BlobRef(DIGEST, CONTENT.length), result.blob());
        }
        assertEquals(List.of(blobDir().resolve(DIGEST.hex())), list(blobDir()));
        assertArrayEquals(CONTENT, Files.readAllBytes(store.path(DIGEST)));
        assertEquals(List.of(), list(tmpDir()), "the temp file was renamed, not copied");
        assertTrue(store.contains(DIGEST));
        assertEquals(CONTENT.length, store.size(DIGEST));
    }

    @Test
    void commitWithoutExpectedDigestNamesTheBlobByItsContent() throws IOException {
        try (BlobWriter writer = store.newWriter()) {
            writer.copyFrom(new ByteArrayInputStream(CONTENT), new byte[4096], n -> { });
            assertEquals(DIGEST, writer.commit(null).blob().digest());
        }
        assertArrayEquals(CONTENT, Files.readAllBytes(store.path(DIGEST)));
    }

    @Test
    void copyFromReportsEveryByteToProgress() throws IOException {
        long[] reported = new long[1];
        try (BlobWriter writer = store.newWriter()) {
            writer.copyFrom(new ByteArrayInputStream(CONTENT), new byte[4096], n -> reported[0] += n);
            writer.commit(DIGEST);
        }
        assertEquals(CONTENT.length, reported[0]);
    }

    @Test
    void abandonedWriterLeavesNoFileAndDeletesItsTemp() throws IOException {
        try (BlobWriter writer = store.newWriter()) {
            writer.write(CONTENT, CONTENT.length);
        }
        assertEquals(List.of(), list(blobDir()));
        assertEquals(List.of(), list(tmpDir()));
        assertFalse(store.contains(DIGEST));
    }

    @Test
    void commitWithWrongExpectedDigestThrowsAndPublishesNothing() throws IOException {
        Digest wrong = Bytes.sha256(Bytes.utf8("something else"));
        try (BlobWriter writer = store.newWriter()) {
            writer.write(CONTENT, CONTENT.length);
            BlobCorruptException e = assertThrows(BlobCorruptException.class, () -> writer.commit(wrong));
            assertEquals(wrong, e.digest());
            assertEquals(ExitCode.VERIFY, e.exitCode());
            assertTrue(e.getMessage().contains(DIGEST.toString()), e.getMessage());
        }
        assertEquals(List.of(), list(blobDir()), "neither the expected nor the actual digest may be published");
        assertEquals(List.of(), list(tmpDir()));
    }

    @Test
    void committingStoredContentAgainKeepsTheExistingFile() throws IOException {
        commit(CONTENT);
        Object inode = Files.getAttribute(store.path(DIGEST), "unix:ino");

        BlobWriter.Result again = commit(CONTENT);

        assertFalse(again.stored());
        assertEquals(new BlobRef(DIGEST, CONTENT.length), again.blob());
        assertEquals(inode, Files.getAttribute(store.path(DIGEST), "unix:ino"), "the stored file must not be replaced");
        assertEquals(List.of(), list(tmpDir()), "the duplicate temp file is deleted");
    }

    @Test
    void verifyAcceptsAnIntactBlob() throws IOException {
        commit(CONTENT);
        assertEquals(new BlobRef(DIGEST, CONTENT.length), store.verify(DIGEST, CONTENT.length));
        assertEquals(new BlobRef(DIGEST, CONTENT.length), store.verify(DIGEST, -1));
    }

    @Test
    void verifyDetectsAMissingBlob() {
        BlobCorruptException e = assertThrows(BlobCorruptException.class, () -> store.verify(DIGEST, CONTENT.length));
        assertEquals(DIGEST, e.digest());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void verifyDetectsAWrongLength() throws IOException {
        commit(CONTENT);
        BlobCorruptException e = assertThrows(BlobCorruptException.class,
                () -> store.verify(DIGEST, CONTENT.length + 1L));
        assertTrue(e.getMessage().contains(String.valueOf(CONTENT.length)), e.getMessage());
    }

    @Test
    void verifyDetectsATruncatedBlobEvenWithoutAnExpectedLength() throws IOException {
        commit(CONTENT);
        try (FileChannel channel = FileChannel.open(store.path(DIGEST), StandardOpenOption.WRITE)) {
            channel.truncate(CONTENT.length - 1);
        }
        assertThrows(BlobCorruptException.class, () -> store.verify(DIGEST, -1));
    }

    @Test
    void verifyDetectsOneFlippedByte() throws IOException {
        commit(CONTENT);
        flipByte(store.path(DIGEST), CONTENT.length / 2);

        BlobCorruptException e = assertThrows(BlobCorruptException.class, () -> store.verify(DIGEST, CONTENT.length));
        assertEquals(DIGEST, e.digest());
        assertTrue(e.getMessage().contains("hashes to"), e.getMessage());
    }

    @Test
    void discardRemovesABlob() throws IOException {
        commit(CONTENT);
        store.discard(DIGEST);
        assertFalse(store.contains(DIGEST));
        assertEquals(-1, store.size(DIGEST));
    }

    @Test
    void openingClearsLeftoverTempFilesAndKeepsBlobs() throws IOException {
        commit(CONTENT);
        Files.write(tmpDir().resolve("blob-123.part"), new byte[] {1, 2, 3});
        Files.write(tmpDir().resolve("other"), new byte[] {4});

        BlobStore reopened = BlobStore.open(root);

        assertEquals(List.of(), list(tmpDir()));
        assertEquals(new BlobRef(DIGEST, CONTENT.length), reopened.verify(DIGEST, CONTENT.length));
    }

    @Test
    void directoriesArePrivate() throws IOException {
        for (Path dir : List.of(root.resolve("blobs"), blobDir(), tmpDir())) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString());
        }
    }

    @Test
    void openingTightensALooseStore() throws IOException {
        Files.setPosixFilePermissions(blobDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        BlobStore.open(root);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(blobDir())));
    }

    @Test
    void blobFilesArePrivate() throws IOException {
        commit(CONTENT);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.path(DIGEST))));
    }

    private BlobWriter.Result commit(byte[] content) throws IOException {
        try (BlobWriter writer = store.newWriter()) {
            writer.write(content, content.length);
            return writer.commit(Bytes.sha256(content));
        }
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte flipped = (byte) (one.get() ^ 0x01);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), position);
        }
    }

    private Path blobDir() {
        return root.resolve("blobs").resolve("sha256");
    }

    private Path tmpDir() {
        return root.resolve("tmp");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
