package dev.stowage.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveStreamTest {
    private static final byte[] BASE = Bytes.random(70_000, 1);
    private static final byte[] APP = Bytes.random(1_000, 2);
    private static final byte[] TOOLS = Bytes.random(513, 3);
    private static final byte[] CONFIG_A = config("a", BASE, APP);
    private static final byte[] CONFIG_B = config("b", BASE, TOOLS);

    @TempDir
    Path root;

    private BlobStore store;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void open() throws IOException {
        store = BlobStore.open(root);
    }

    @Test
    void legacyLayoutResolvesImagesThroughALinkThatPrecedesItsTarget() throws IOException {
        String a1 = v1("a1");
        String a2 = v1("a2");
        String b1 = v1("b1");
        String b2 = v1("b2");
        // Engine 20.10 links a layer it already wrote for another image; here the link comes first.
        InputStream stream = new SaveTar()
                .directory(b1).file(b1 + "/VERSION", "1.0").file(b1 + "/json", "{}")
                .symlink(b1 + "/layer.tar", "../" + a1 + "/layer.tar")
                .directory(b2).file(b2 + "/VERSION", "1.0").file(b2 + "/json", "{}").file(b2 + "/layer.tar", TOOLS)
                .directory(a1).file(a1 + "/VERSION", "1.0").file(a1 + "/json", "{}").file(a1 + "/layer.tar", BASE)
                .directory(a2).file(a2 + "/VERSION", "1.0").file(a2 + "/json", "{}").file(a2 + "/layer.tar", APP)
                .file(hex(CONFIG_A) + ".json", CONFIG_A)
                .file(hex(CONFIG_B) + ".json", CONFIG_B)
                .file("manifest.json", "[{\"Config\":\"" + hex(CONFIG_A) + ".json\",\"RepoTags\":[\"a:1\"],"
                        + "\"Layers\":[\"" + a1 + "/layer.tar\",\"" + a2 + "/layer.tar\"]},"
                        + "{\"Config\":\"" + hex(CONFIG_B) + ".json\",\"RepoTags\":[\"b:1\",\"b:latest\"],"
                        + "\"Layers\":[\"" + b1 + "/layer.tar\",\"" + b2 + "/layer.tar\"]}]")
                .file("repositories", "{\"a\":{\"1\":\"" + a2 + "\"}}")
                .stream();

        List<SavedImage> images = new SaveStream(store, recorder).read(stream);

        assertEquals(List.of(
                new SavedImage(Bytes.ref(CONFIG_A), List.of("a:1"), List.of(Bytes.ref(BASE), Bytes.ref(APP))),
                new SavedImage(Bytes.ref(CONFIG_B), List.of("b:1", "b:latest"),
                        List.of(Bytes.ref(BASE), Bytes.ref(TOOLS)))), images);
        assertEquals(digests(BASE, APP, TOOLS, CONFIG_A, CONFIG_B), storedDigests(),
                "each layer and config stored once; VERSION, json and repositories are not blobs");
        assertEquals(5, recorder.done.size());
        assertTrue(recorder.stored.stream().allMatch(stored -> stored));
        assertEquals(BASE.length + APP.length + TOOLS.length + CONFIG_A.length + CONFIG_B.length, recorder.bytes);
    }

    @Test
    void manifestFirstAndDotSlashNamesResolveToo() throws IOException {
        String a1 = v1("a1");
        InputStream stream = new SaveTar()
                .file("./manifest.json", "[{\"Config\":\"" + hex(CONFIG_A) + ".json\",\"RepoTags\":null,"
                        + "\"Layers\":[\"" + a1 + "/layer.tar\"]}]")
                .file("./" + a1 + "/layer.tar", BASE)
                .file("./" + hex(CONFIG_A) + ".json", CONFIG_A)
                .stream();

        List<SavedImage> images = new SaveStream(store, recorder).read(stream);

        assertEquals(List.of(new SavedImage(Bytes.ref(CONFIG_A), List.of(), List.of(Bytes.ref(BASE)))), images);
    }

    @Test
    void identicalLayerFilesAreStoredOnce() throws IOException {
        String a1 = v1("a1");
        String b1 = v1("b1");
        InputStream stream = new SaveTar()
                .file(a1 + "/layer.tar", BASE)
                .file(b1 + "/layer.tar", BASE)
                .file(hex(CONFIG_A) + ".json", CONFIG_A)
                .file("manifest.json", "[{\"Config\":\"" + hex(CONFIG_A) + ".json\",\"RepoTags\":[\"a:1\"],"
                        + "\"Layers\":[\"" + a1 + "/layer.tar\",\"" + b1 + "/layer.tar\"]}]")
                .stream();

        List<SavedImage> images = new SaveStream(store, recorder).read(stream);

        assertEquals(List.of(Bytes.ref(BASE), Bytes.ref(BASE)), images.get(0).layers());
        assertEquals(digests(BASE, CONFIG_A), storedDigests());
        assertEquals(List.of(true, false, true), recorder.stored, "the second copy was already stored");
    }

    @Test
    void ociLayoutResolvesBlobPaths() throws IOException {
        byte[] ociManifest = Bytes.utf8("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + Bytes.sha256(CONFIG_A) + "\"}}");
        InputStream stream = new SaveTar()
                .directory("blobs").directory("blobs/sha256")
                .file("blobs/sha256/" + hex(BASE), BASE)
                .file("blobs/sha256/" + hex(APP), APP)
                .file("blobs/sha256/" + hex(CONFIG_A), CONFIG_A)
                .file("blobs/sha256/" + hex(ociManifest), ociManifest)
                .file("index.json", "{\"schemaVersion\":2,\"manifests\":[]}")
                .file("manifest.json", "[{\"Config\":\"blobs/sha256/" + hex(CONFIG_A) + "\",\"RepoTags\":[\"a:1\"],"
                        + "\"Layers\":[\"blobs/sha256/" + hex(BASE) + "\",\"blobs/sha256/" + hex(APP) + "\"]}]")
                .file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}")
                .stream();

        List<SavedImage> images = new SaveStream(store, recorder).read(stream);

        assertEquals(List.of(new SavedImage(Bytes.ref(CONFIG_A), List.of("a:1"),
                List.of(Bytes.ref(BASE), Bytes.ref(APP)))), images);
        assertTrue(storedDigests().containsAll(digests(BASE, APP, CONFIG_A)));
    }

    @Test
    void ociLegacyLinksIntoBlobsResolve() throws IOException {
        String a1 = v1("a1");
        InputStream stream = new SaveTar()
                .symlink(a1 + "/layer.tar", "../blobs/sha256/" + hex(BASE))
                .file("blobs/sha256/" + hex(BASE), BASE)
                .file("blobs/sha256/" + hex(CONFIG_A), CONFIG_A)
                .file("manifest.json", "[{\"Config\":\"blobs/sha256/" + hex(CONFIG_A) + "\",\"RepoTags\":[\"a:1\"],"
                        + "\"Layers\":[\"" + a1 + "/layer.tar\"]}]")
                .stream();

        assertEquals(List.of(Bytes.ref(BASE)), new SaveStream(store, recorder).read(stream).get(0).layers());
    }

    @Test
    void configThatDoesNotHashToItsNameIsRejected() {
        Digest claimed = Bytes.sha256(CONFIG_A);
        InputStream stream = new SaveTar()
                .file(claimed.hex() + ".json", CONFIG_B)
                .file("manifest.json", "[{\"Config\":\"" + claimed.hex() + ".json\",\"Layers\":[]}]")
                .stream();

        BlobCorruptException e = assertThrows(BlobCorruptException.class,
                () -> new SaveStream(store, recorder).read(stream));

        assertEquals(claimed, e.digest());
        assertFalse(store.contains(claimed));
        assertFalse(store.contains(Bytes.sha256(CONFIG_B)));
    }

    @Test
    void ociBlobThatDoesNotHashToItsNameIsRejected() {
        Digest claimed = Bytes.sha256(BASE);
        InputStream stream = new SaveTar().file("blobs/sha256/" + claimed.hex(), APP).stream();

        assertThrows(BlobCorruptException.class, () -> new SaveStream(store, recorder).read(stream));
        assertFalse(store.contains(claimed));
    }

    @Test
    void manifestNamingAMissingPathIsRejectedAsADaemonFailure() {
        String a1 = v1("a1");
        InputStream stream = new SaveTar()
                .file(hex(CONFIG_A) + ".json", CONFIG_A)
                .file("manifest.json", "[{\"Config\":\"" + hex(CONFIG_A) + ".json\",\"RepoTags\":[\"a:1\"],"
                        + "\"Layers\":[\"" + a1 + "/layer.tar\"]}]")
                .stream();

        StowageException e = assertThrows(StowageException.class, () -> new SaveStream(store, recorder).read(stream));

        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(e.getMessage().contains(a1 + "/layer.tar"), e.getMessage());
        assertTrue(e.hint() != null && !e.hint().isBlank());
    }

    @Test
    void linkToAMissingTargetIsRejected() {
        String a1 = v1("a1");
        InputStream stream = new SaveTar()
                .symlink(a1 + "/layer.tar", "../" + v1("nowhere") + "/layer.tar")
                .file(hex(CONFIG_A) + ".json", CONFIG_A)
                .file("manifest.json", "[{\"Config\":\"" + hex(CONFIG_A) + ".json\",\"Layers\":[\""
                        + a1 + "/layer.tar\"]}]")
                .stream();

        StowageException e = assertThrows(StowageException.class, () -> new SaveStream(store, recorder).read(stream));
        assertEquals(ExitCode.DAEMON, e.exitCode());
    }

    @Test
    void linkEscapingTheArchiveIsRejected() {
        String a1 = v1("a1");
        InputStream stream = new SaveTar()
                .symlink(a1 + "/layer.tar", "../../etc/shadow")
                .file("manifest.json", "[]")
                .stream();

        StowageException e = assertThrows(StowageException.class, () -> new SaveStream(store, recorder).read(stream));

        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(e.getMessage().contains("outside the archive"), e.getMessage());
    }

    @Test
    void absoluteLinkIsRejected() {
        InputStream stream = new SaveTar()
                .symlink(v1("a1") + "/layer.tar", "/var/lib/docker/overlay2/x/layer.tar")
                .file("manifest.json", "[]")
                .stream();

        StowageException e = assertThrows(StowageException.class, () -> new SaveStream(store, recorder).read(stream));
        assertEquals(ExitCode.DAEMON, e.exitCode());
    }

    @Test
    void streamWithoutManifestIsRejected() {
        InputStream stream = new SaveTar().file(v1("a1") + "/layer.tar", BASE).stream();

        StowageException e = assertThrows(StowageException.class, () -> new SaveStream(store, recorder).read(stream));

        assertEquals(ExitCode.DAEMON, e.exitCode());
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
    }

    @Test
    void manifestThatIsNotAListIsRejected() {
        InputStream stream = new SaveTar().file("manifest.json", "{}").stream();

        StowageException e = assertThrows(StowageException.class, () -> new SaveStream(store, recorder).read(stream));
        assertEquals(ExitCode.DAEMON, e.exitCode());
    }

    @Test
    void resolveLinkStaysInsideTheArchive() {
        assertEquals("abc/layer.tar", SaveStream.resolveLink("def/layer.tar", "../abc/layer.tar"));
        assertEquals("blobs/sha256/x", SaveStream.resolveLink("def/layer.tar", "./../blobs/sha256/x"));
        assertThrows(StowageException.class, () -> SaveStream.resolveLink("layer.tar", "../x"));
    }

    private static byte[] config(String name, byte[]... layers) {
        String diffIds = Stream.of(layers).map(l -> "\"" + Bytes.sha256(l) + "\"").collect(Collectors.joining(","));
        return Bytes.utf8("{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"" + name + "\"]},\"os\":\"linux\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}");
    }

    /** A legacy v1 layer ID: 64 hex characters unrelated to the content. */
    private static String v1(String name) {
        return Bytes.sha256(Bytes.utf8("v1 " + name)).hex();
    }

    private static String hex(byte[] content) {
        return Bytes.sha256(content).hex();
    }

    private static Set<Digest> digests(byte[]... contents) {
        return Stream.of(contents).map(Bytes::sha256).collect(Collectors.toSet());
    }

    private Set<Digest> storedDigests() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            return files.map(f -> new Digest(f.getFileName().toString())).collect(Collectors.toSet());
        }
    }

    /** Records what the stream reports, in order. */
    private static final class Recorder implements TransferListener {
        final List<BlobRef> done = new ArrayList<>();
        final List<Boolean> stored = new ArrayList<>();
        long bytes;

        @Override
        public void bytes(long n) {
            bytes += n;
        }

        @Override
        public void blobDone(BlobRef blob, boolean wasStored) {
            done.add(blob);
            stored.add(wasStored);
        }
    }
}
