package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.testing.Digests;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.HostFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A volume blob in a real export swapped for an archive made to write outside the volume, with
 * the manifest's digest and size updated so that only the extractor stands in the way: import
 * refuses it with exit code 6 naming the volume and the entry, and the canary outside is untouched.
 */
class HostileVolumeArchiveIT {
    private static final String VICTIM = "victim";
    private static final String CANARY_TEXT = "canary: must never change\n";

    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", daemon -> {
        daemon.dockerOk("volume", "create", "--label", "purpose=hostile-test", VICTIM);
        try {
            Files.writeString(HostFixtures.mountpoint(daemon, VICTIM).resolve("real-data"), "real\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    });
    @RegisterExtension
    static DockerdExtension target = DockerdExtension.empty("vfs");

    static Path work;
    static Path export;
    Path outside;
    Path canary;
    String outsideBefore;
    String volumesBefore;

    @BeforeAll
    static void exportOnce() throws IOException {
        work = Files.createTempDirectory("stowage-hostile-it");
        export = work.resolve("export");
        Run run = StorageChecks.export(source.daemon(), export);
        assertEquals(0, run.exitCode(), run::toString);
    }

    @AfterAll
    static void removeWork() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    @BeforeEach
    void canary() throws IOException {
        outside = Files.createTempDirectory(work, "outside");
        canary = Files.writeString(outside.resolve("canary"), CANARY_TEXT);
        outsideBefore = listing(outside);
        volumesBefore = names(dataRoot(target.daemon()).resolve("volumes"));
    }

    @AfterEach
    void removeVolume() {
        target.daemon().docker("volume", "rm", "-f", VICTIM);
    }

    @Test
    void dotDotEntryIsRefused() throws IOException {
        assertRefused("dotdot", archive(file("./good", "fine"), file(climb() + "/escaped", "escaped")), "'..'");
    }

    @Test
    void absoluteEntryIsRefused() throws IOException {
        assertRefused("absolute", archive(file("./good", "fine"), file(outside.resolve("absolute").toString(), "escaped")),
                "absolute path");
    }

    @Test
    void writeThroughSymlinkIsRefused() throws IOException {
        assertRefused("symlink", archive(dir("./"), symlink("./evil", outside.toString()), file("./evil/pwned", "escaped")),
                "symlink");
    }

    @Test
    void writeThroughRelativeSymlinkIsRefused() throws IOException {
        assertRefused("relative-symlink", archive(dir("./d/"), symlink("./d/up", "../../../../../../../../../../.."),
                file("./d/up" + outside + "/canary", "overwritten")), "symlink");
    }

    @Test
    void hardlinkToOutsideIsRefused() throws IOException {
        assertRefused("hardlink", archive(file("./good", "fine"), hardlink("./h", climb() + "/canary"),
                file("./h", "overwritten")), "'..'");
    }

    @Test
    void absoluteHardlinkIsRefused() throws IOException {
        assertRefused("absolute-hardlink", archive(hardlink("./h", canary.toString()), file("./h", "overwritten")),
                "absolute path");
    }

    /** The untouched export still imports, so the refusals above were the archives' doing. */
    @Test
    void untouchedExportImports() {
        Run run = StorageChecks.importInto(target.daemon(), export);
        assertEquals(0, run.exitCode(), run::toString);
        StorageChecks.assertVerified(target.daemon(), export);
    }

    private void assertRefused(String name, byte[] hostile, String reason) throws IOException {
        Path copy = work.resolve(name);
        Shell.run("cp", "-a", export.toString(), copy.toString());
        swapVolumeBlob(copy, hostile);

        Run run = StorageChecks.importInto(target.daemon(), copy);
        assertEquals(6, run.exitCode(), run::toString);
        String message = run.error().path("message").asText();
        assertTrue(message.contains("refusing the archive"), message);
        assertTrue(message.contains("volume " + VICTIM), "the error names the volume: " + message);
        assertTrue(message.contains(reason), message);
        assertTrue(run.error().path("hint").asText().contains("nothing outside"), run::toString);

        assertEquals(CANARY_TEXT, Files.readString(canary));
        assertEquals(outsideBefore, listing(outside), "nothing appeared or changed outside the volume");
        assertEquals(volumesBefore, names(dataRoot(target.daemon()).resolve("volumes")).replace(VICTIM + "\n", ""),
                "nothing landed beside the volume");
    }

    /** Replaces the volume's blob, rewriting its digest, size and compression in the manifest. */
    private static void swapVolumeBlob(Path dir, byte[] tar) throws IOException {
        Path blob = Files.write(work.resolve("hostile.tar"), tar);
        String hex = Digests.sha256(blob);
        Files.move(blob, dir.resolve("blobs/sha256").resolve(hex));
        ObjectMapper mapper = new ObjectMapper();
        JsonNode manifest = mapper.readTree(dir.resolve("manifest.json").toFile());
        boolean swapped = false;
        for (JsonNode volume : manifest.path("volumes")) {
            if (volume.path("name").asText().equals(VICTIM)) {
                ((ObjectNode) volume.path("data")).put("digest", "sha256:" + hex).put("size", tar.length);
                ((ObjectNode) volume).put("compression", "none");
                swapped = true;
            }
        }
        assertTrue(swapped, "the export has the victim volume");
        mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(), manifest);
    }

    /** Enough "../" to reach / from any volume mountpoint, then down to {@code outside}. */
    private String climb() {
        return "../".repeat(30) + outside.toString().substring(1);
    }

    private static Path dataRoot(PrivateDaemon daemon) {
        return Path.of(daemon.dockerOk("info", "-f", "{{.DockerRootDir}}"));
    }

    /** The names in {@code dir}, one per line, sorted. */
    private static String names(Path dir) throws IOException {
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName() + "\n").sorted().collect(Collectors.joining());
        }
    }

    private static String listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> paths = Files.walk(dir, 1)) {
            return paths.filter(p -> !p.equals(dir)).map(p -> {
                try {
                    return dir.relativize(p) + " " + Files.size(p) + " " + Files.getLastModifiedTime(p);
                } catch (IOException e) {
                    return dir.relativize(p) + " ?";
                }
            }).sorted().collect(Collectors.joining("\n"));
        }
    }

    private record Entry(TarArchiveEntry header, byte[] content) {
    }

    private static byte[] archive(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                tar.putArchiveEntry(entry.header());
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Entry file(String name, String content) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        entry.setSize(bytes.length);
        entry.setMode(0644);
        return new Entry(entry, bytes);
    }

    private static Entry dir(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
        entry.setMode(0755);
        return new Entry(entry, new byte[0]);
    }

    private static Entry symlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        entry.setLinkName(target);
        return new Entry(entry, new byte[0]);
    }

    private static Entry hardlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        entry.setLinkName(target);
        return new Entry(entry, new byte[0]);
    }
}
