package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadStreamTest {
    private static final byte[] BASE = Bytes.random(70_000, 1);
    private static final byte[] APP = Bytes.random(512, 2);
    private static final byte[] TOOLS = Bytes.random(511, 3);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CONFIG_A = Bytes.utf8("{\"image\":\"a\"}");
    private static final byte[] CONFIG_B = Bytes.utf8("{\"image\":\"b\"}");

    @TempDir
    Path dir;

    private final List<Digest> opened = new ArrayList<>();
    private final List<Digest> done = new ArrayList<>();
    private final LoadStream.BlobSource source = new LoadStream.BlobSource() {
        @Override
        public FileChannel open(BlobRef blob) throws IOException {
            opened.add(blob.digest());
            return FileChannel.open(file(blob));
        }

        @Override
        public void done(BlobRef blob) {
            done.add(blob.digest());
        }
    };

    @Test
    void streamHoldsManifestFirstThenEachBlobOnceByteExact() throws IOException {
        LoadStream stream = twoImagesSharingABase();

        Map<String, byte[]> entries = readTar(written(stream, source));

        List<String> names = new ArrayList<>(entries.keySet());
        assertEquals(List.of("manifest.json", hex(EMPTY) + "/layer.tar", hex(CONFIG_A) + ".json",
                hex(CONFIG_B) + ".json", hex(TOOLS) + "/layer.tar", hex(APP) + "/layer.tar",
                hex(BASE) + "/layer.tar"), names,
                "manifest first, then each blob once, smallest first (equal sizes as they first appear); configs"
                        + " as <hex>.json");
        assertArrayEquals(BASE, entries.get(hex(BASE) + "/layer.tar"));
        assertArrayEquals(APP, entries.get(hex(APP) + "/layer.tar"));
        assertArrayEquals(TOOLS, entries.get(hex(TOOLS) + "/layer.tar"));
        assertArrayEquals(EMPTY, entries.get(hex(EMPTY) + "/layer.tar"));
        assertArrayEquals(CONFIG_A, entries.get(hex(CONFIG_A) + ".json"));
        assertArrayEquals(CONFIG_B, entries.get(hex(CONFIG_B) + ".json"));
        assertEquals(6, opened.size(), "every blob opened once");
        assertEquals(opened, done, "and handed back once sent");
    }

    @Test
    void manifestNamesConfigsTagsAndLayersInOrder() throws IOException {
        Map<String, byte[]> entries = readTar(written(twoImagesSharingABase(), source));

        JsonNode manifest = new ObjectMapper().readTree(entries.get("manifest.json"));

        assertEquals(2, manifest.size());
        assertEquals(hex(CONFIG_A) + ".json", manifest.get(0).get("Config").asText());
        assertEquals("[\"a:1\",\"a:latest\"]", manifest.get(0).get("RepoTags").toString());
        assertEquals("[\"" + hex(BASE) + "/layer.tar\",\"" + hex(APP) + "/layer.tar\"]",
                manifest.get(0).get("Layers").toString());
        assertEquals("[]", manifest.get(1).get("RepoTags").toString(), "an untagged image loads with no tags");
        assertEquals("[\"" + hex(BASE) + "/layer.tar\",\"" + hex(TOOLS) + "/layer.tar\",\"" + hex(EMPTY)
                + "/layer.tar\"]", manifest.get(1).get("Layers").toString());
    }

    @Test
    void lengthEqualsTheBytesProduced() throws IOException {
        LoadStream stream = twoImagesSharingABase();

        byte[] produced = written(stream, source);

        assertEquals(stream.length(), produced.length);
        assertEquals(0, produced.length % 512);
    }

    @Test
    void blobOrderListsEachBlobOnceInStreamOrder() {
        assertEquals(List.of(Bytes.ref(EMPTY), Bytes.ref(CONFIG_A), Bytes.ref(CONFIG_B), Bytes.ref(TOOLS), Bytes.ref(APP),
                Bytes.ref(BASE)), twoImagesSharingABase().blobOrder());
    }

    @Test
    void listenerCountsEveryContentByteAndEachBlob() throws IOException {
        long[] bytes = new long[1];
        List<BlobRef> finished = new ArrayList<>();
        LoadStream stream = twoImagesSharingABase();

        stream.writeTo(Channels.newChannel(OutputStream.nullOutputStream()), source, new TransferListener() {
            @Override
            public void bytes(long n) {
                bytes[0] += n;
            }

            @Override
            public void blobDone(BlobRef blob, boolean stored) {
                finished.add(blob);
            }
        });

        assertEquals(stream.blobOrder().stream().mapToLong(BlobRef::size).sum(), bytes[0]);
        assertEquals(stream.blobOrder(), finished);
    }

    @Test
    void blobsAreOpenedOnlyWhenTheStreamReachesThem() {
        LoadStream stream = twoImagesSharingABase();
        WritableByteChannel brokenAfter4KiB = new WritableByteChannel() {
            private long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written >= 4096) {
                    throw new IOException("connection reset by peer");
                }
                int n = Math.min(src.remaining(), 512);
                src.position(src.position() + n);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };

        IOException e = assertThrows(IOException.class,
                () -> stream.writeTo(brokenAfter4KiB, source, TransferListener.NONE));

        assertEquals("connection reset by peer", e.getMessage(), "the target's failure is an IOException, as it was");
        List<Digest> order = stream.blobOrder().stream().map(BlobRef::digest).toList();
        assertTrue(opened.size() < order.size(), "blobs past the one being sent stay closed: " + opened);
        assertEquals(order.subList(0, opened.size()), opened, "opened in stream order, each once");
        assertEquals(opened, done, "the blob being sent was handed back");
    }

    @Test
    void aBlobThatCannotBeOpenedIsTheContentsFailureNotTheTargets() {
        LoadStream stream = twoImagesSharingABase();
        IOException broken = new IOException("disk gone");
        LoadStream.BlobSource failing = blob -> {
            if (blob.digest().equals(Bytes.sha256(APP))) {
                throw broken;
            }
            return source.open(blob);
        };

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> stream.writeTo(
                Channels.newChannel(OutputStream.nullOutputStream()), failing, TransferListener.NONE));

        assertEquals(broken, e.getCause());
    }

    @Test
    void aBlobShorterThanItsSizeFailsTheStreamNamingIt() throws IOException {
        LoadStream stream = twoImagesSharingABase();
        try (RandomAccessFile file = new RandomAccessFile(file(Bytes.ref(BASE)).toFile(), "rw")) {
            file.setLength(BASE.length - 100);
        }

        BlobCorruptException e = assertThrows(BlobCorruptException.class, () -> written(stream, source));

        assertEquals(Bytes.sha256(BASE), e.digest());
        assertTrue(e.getMessage().contains("shrank"), e.getMessage());
        assertEquals(opened, done);
    }

    @Test
    void aBlobLongerThanItsSizeFailsTheStreamNamingIt() throws IOException {
        LoadStream stream = twoImagesSharingABase();
        Files.write(file(Bytes.ref(APP)), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        BlobCorruptException e = assertThrows(BlobCorruptException.class, () -> written(stream, source));

        assertEquals(Bytes.sha256(APP), e.digest());
        assertTrue(e.getMessage().contains("grew"), e.getMessage());
    }

    /** transferTo to a socket is sendfile: the path a real load takes, byte for byte. */
    @Test
    void blobContentGoesThroughASocketByteExact() throws Exception {
        LoadStream stream = twoImagesSharingABase();
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel peer = server.accept()) {
                    return Channels.newInputStream(peer).readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                client.connect(UnixDomainSocketAddress.of(socket));
                stream.writeTo(client, source, TransferListener.NONE);
            }
            byte[] bytes = received.get(30, TimeUnit.SECONDS);

            assertArrayEquals(written(twoImagesSharingABase(), source), bytes);
            assertArrayEquals(BASE, readTar(bytes).get(hex(BASE) + "/layer.tar"));
        }
    }

    @Test
    void headerAbove8GiBRoundTripsInBase256() throws IOException {
        long size = (9L << 30) + 7;

        byte[] header = LoadStream.header(hex(BASE) + "/layer.tar", size);

        assertEquals(512, header.length);
        assertNotEquals(0, header[124] & 0x80, "sizes above the octal limit use the base-256 marker");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(header))) {
            TarArchiveEntry entry = tar.getNextEntry();
            assertEquals(hex(BASE) + "/layer.tar", entry.getName());
            assertEquals(size, entry.getSize());
            assertTrue(entry.isFile());
        }
    }

    @Test
    void headerOfAnOrdinarySizeIsOctal() throws IOException {
        byte[] header = LoadStream.header("x.json", 1234);

        assertEquals('0', header[124], "ordinary sizes stay octal, readable by every tar");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(header))) {
            assertEquals(1234, tar.getNextEntry().getSize());
        }
    }

    private LoadStream twoImagesSharingABase() {
        for (byte[] content : List.of(BASE, APP, TOOLS, EMPTY, CONFIG_A, CONFIG_B)) {
            try {
                Files.write(file(Bytes.ref(content)), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new LoadStream(List.of(
                new LoadStream.Item(Bytes.ref(CONFIG_A), List.of("a:1", "a:latest"),
                        List.of(Bytes.ref(BASE), Bytes.ref(APP))),
                new LoadStream.Item(Bytes.ref(CONFIG_B), List.of(),
                        List.of(Bytes.ref(BASE), Bytes.ref(TOOLS), Bytes.ref(EMPTY)))));
    }

    private Path file(BlobRef blob) {
        return dir.resolve(blob.digest().hex());
    }

    private static byte[] written(LoadStream stream, LoadStream.BlobSource from) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.writeTo(Channels.newChannel(out), from, TransferListener.NONE);
        return out.toByteArray();
    }

    /** Every entry of a tar, by name in stream order; fails on a name seen twice. */
    private static Map<String, byte[]> readTar(byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                byte[] content = tar.readAllBytes();
                assertEquals(entry.getSize(), content.length, entry.getName());
                if (entries.put(entry.getName(), content) != null) {
                    throw new AssertionError("entry " + entry.getName() + " appears twice");
                }
            }
        }
        return entries;
    }

    private static String hex(byte[] content) {
        return Bytes.sha256(content).hex();
    }
}
