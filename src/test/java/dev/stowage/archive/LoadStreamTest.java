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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class LoadStreamTest {
    private static final byte[] BASE = Bytes.random(70_000, 1);
    private static final byte[] APP = Bytes.random(512, 2);
    private static final byte[] TOOLS = Bytes.random(511, 3);
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CONFIG_A = Bytes.utf8("{\"image\":\"a\"}");
    private static final byte[] CONFIG_B = Bytes.utf8("{\"image\":\"b\"}");

    private final Map<Digest, byte[]> blobs = new HashMap<>();
    private final List<Digest> opened = new ArrayList<>();
    private final LoadStream.BlobSource source = blob -> {
        opened.add(blob.digest());
        return new ByteArrayInputStream(blobs.get(blob.digest()));
    };

    @Test
    void streamHoldsManifestFirstThenEachBlobOnceByteExact() throws IOException {
        LoadStream stream = twoImagesSharingABase();

        Map<String, byte[]> entries = readTar(stream.open(source, TransferListener.NONE));

        List<String> names = new ArrayList<>(entries.keySet());
        assertEquals(List.of("manifest.json", hex(BASE) + "/layer.tar", hex(APP) + "/layer.tar",
                hex(CONFIG_A) + ".json", hex(TOOLS) + "/layer.tar", hex(EMPTY) + "/layer.tar",
                hex(CONFIG_B) + ".json"), names, "manifest first, shared layer once, configs as <hex>.json");
        assertArrayEquals(BASE, entries.get(hex(BASE) + "/layer.tar"));
        assertArrayEquals(APP, entries.get(hex(APP) + "/layer.tar"));
        assertArrayEquals(TOOLS, entries.get(hex(TOOLS) + "/layer.tar"));
        assertArrayEquals(EMPTY, entries.get(hex(EMPTY) + "/layer.tar"));
        assertArrayEquals(CONFIG_A, entries.get(hex(CONFIG_A) + ".json"));
        assertArrayEquals(CONFIG_B, entries.get(hex(CONFIG_B) + ".json"));
        assertEquals(6, opened.size(), "every blob opened once");
    }

    @Test
    void manifestNamesConfigsTagsAndLayersInOrder() throws IOException {
        Map<String, byte[]> entries = readTar(twoImagesSharingABase().open(source, TransferListener.NONE));

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

        long produced;
        try (InputStream in = stream.open(source, TransferListener.NONE)) {
            produced = in.transferTo(java.io.OutputStream.nullOutputStream());
        }

        assertEquals(stream.length(), produced);
        assertEquals(0, produced % 512);
    }

    @Test
    void blobOrderListsEachBlobOnceInStreamOrder() {
        assertEquals(List.of(Bytes.ref(BASE), Bytes.ref(APP), Bytes.ref(CONFIG_A), Bytes.ref(TOOLS), Bytes.ref(EMPTY),
                Bytes.ref(CONFIG_B)), twoImagesSharingABase().blobOrder());
    }

    @Test
    void listenerCountsEveryContentByteAndEachBlob() throws IOException {
        long[] bytes = new long[1];
        List<BlobRef> done = new ArrayList<>();
        LoadStream stream = twoImagesSharingABase();

        readTar(stream.open(source, new TransferListener() {
            @Override
            public void bytes(long n) {
                bytes[0] += n;
            }

            @Override
            public void blobDone(BlobRef blob, boolean stored) {
                done.add(blob);
            }
        }));

        assertEquals(stream.blobOrder().stream().mapToLong(BlobRef::size).sum(), bytes[0]);
        assertEquals(stream.blobOrder().stream().filter(b -> b.size() > 0).toList(),
                done.stream().filter(b -> b.size() > 0).toList());
    }

    @Test
    void blobsAreOpenedOnlyWhenTheReaderReachesThem() throws IOException {
        try (InputStream in = twoImagesSharingABase().open(source, TransferListener.NONE)) {
            in.readNBytes(4096);
            assertEquals(List.of(Bytes.sha256(BASE)), opened);
        }
    }

    @Test
    void closingEarlyOpensNoFurtherBlobs() throws IOException {
        InputStream in = twoImagesSharingABase().open(source, TransferListener.NONE);
        in.readNBytes(4096);

        in.close();

        assertEquals(List.of(Bytes.sha256(BASE)), opened,
                "closing must not open (and, with a verifying source, re-hash) every remaining blob");
    }

    @Test
    void aBlobThatCannotBeOpenedFailsTheReadWithItsIOException() {
        LoadStream stream = twoImagesSharingABase();
        IOException broken = new IOException("disk gone");
        LoadStream.BlobSource failing = blob -> {
            if (blob.digest().equals(Bytes.sha256(APP))) {
                throw broken;
            }
            return source.open(blob);
        };

        IOException e = assertThrows(IOException.class, () -> readTar(stream.open(failing, TransferListener.NONE)));

        assertEquals(broken, e);
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
            blobs.put(Bytes.sha256(content), content);
        }
        return new LoadStream(List.of(
                new LoadStream.Item(Bytes.ref(CONFIG_A), List.of("a:1", "a:latest"),
                        List.of(Bytes.ref(BASE), Bytes.ref(APP))),
                new LoadStream.Item(Bytes.ref(CONFIG_B), List.of(),
                        List.of(Bytes.ref(BASE), Bytes.ref(TOOLS), Bytes.ref(EMPTY)))));
    }

    /** Every entry of a tar, by name in stream order; fails on a name seen twice. */
    private static Map<String, byte[]> readTar(InputStream in) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                byte[] content = tar.readAllBytes();
                assertEquals(entry.getSize(), content.length, entry.getName());
                if (entries.put(entry.getName(), content) != null) {
                    throw new AssertionError("entry " + entry.getName() + " appears twice");
                }
            }
        } catch (UncheckedIOException e) {
            throw new AssertionError("an UncheckedIOException escaped the stream", e);
        }
        return entries;
    }

    private static String hex(byte[] content) {
        return Bytes.sha256(content).hex();
    }
}
