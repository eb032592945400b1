package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Import of a damaged export, and into a daemon where one of our tags names another image. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportFailureIT {
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", ImageFixtures::small);
    @RegisterExtension
    static DockerdExtension target = DockerdExtension.empty("vfs");

    static Path work;
    static Path export;

    @BeforeAll
    static void exportOnce() throws IOException {
        work = Files.createTempDirectory("stowage-it-import-fail");
        export = work.resolve("export");
        Run run = StowageProcess.run("storage", "export", "--host", source.daemon().host(), "--dir", export.toString());
        assertEquals(0, run.exitCode(), run::toString);
    }

    @AfterAll
    static void cleanWork() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    @Order(1)
    void truncatedBlobIsNamedAndNothingIsLoaded() throws IOException {
        Path copy = copyOfExport("truncated");
        Path blob = largestBlob(copy);
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            file.setLength(file.length() - 100);
        }
        Run run = StowageProcess.run("storage", "import", "--host", target.daemon().host(), "--dir", copy.toString(),
                "--json");
        assertRefusedNaming(run, blob);
        assertTrue(run.error().path("message").asText().contains("truncated"), run::toString);
    }

    @Test
    @Order(2)
    void flippedByteIsCaughtByDigestAndNothingIsLoaded() throws IOException {
        Path copy = copyOfExport("flipped");
        Path blob = largestBlob(copy);
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0x01);
        }
        Run run = StowageProcess.run("storage", "import", "--host", target.daemon().host(), "--dir", copy.toString(),
                "--json");
        assertRefusedNaming(run, blob);
        assertTrue(run.error().path("message").asText().contains("hashes to"), run::toString);
    }

    @Test
    @Order(3)
    void tagHeldByAnotherImageIsReportedNotMovedAndRerunCompletes() {
        var daemon = target.daemon();
        daemon.dockerOk("import", "-c", "CMD [\"/bin/true\"]", ImageFixtures.busyboxRootfs().toString(),
                "stowage-test/app:1.0");
        String theirs = daemon.imageTable().get("stowage-test/app:1.0");

        Run run = StowageProcess.run("storage", "import", "--host", daemon.host(), "--dir", export.toString(), "--json");
        assertEquals(6, run.exitCode(), run::toString);
        assertTrue(run.error().path("message").asText().contains("stowage-test/app:1.0"), run::toString);
        assertTrue(run.jsonLines().stream().anyMatch(n -> n.path("level").asText().equals("warning")
                && n.path("message").asText().contains("held by another image")), run::toString);
        Map<String, String> after = daemon.imageTable();
        assertEquals(theirs, after.get("stowage-test/app:1.0"), "their tag was left where it was");
        Map<String, String> ours = source.daemon().imageTable();
        assertEquals(ours.get("stowage-test/app:latest"), after.get("stowage-test/app:latest"));
        assertEquals(ours.get("stowage-test/worker:2"), after.get("stowage-test/worker:2"));

        daemon.dockerOk("rmi", "stowage-test/app:1.0");
        Run rerun = StowageProcess.run("storage", "import", "--host", daemon.host(), "--dir", export.toString(),
                "--json");
        assertEquals(0, rerun.exitCode(), rerun::toString);
        assertEquals(0, rerun.summary().path("images_loaded").asInt(), "the rerun only had tags to restore");
        assertTrue(rerun.summary().path("tags_added").asInt() >= 1);
        assertEquals(ours, daemon.imageTable());
    }

    private void assertRefusedNaming(Run run, Path blob) {
        assertEquals(6, run.exitCode(), run::toString);
        JsonNode error = run.error();
        assertTrue(error.path("message").asText().contains("sha256:" + blob.getFileName()), run::toString);
        assertTrue(error.path("message").asText().contains("nothing was loaded"), run::toString);
        assertTrue(run.jsonLines().stream().noneMatch(n -> n.path("action").asText().equals("loaded")),
                "no image is reported as imported:\n" + run);
        assertEquals(Map.of(), target.daemon().imageTable(), "the daemon received no image");
    }

    private static Path copyOfExport(String name) {
        Path copy = work.resolve(name);
        Shell.run("cp", "-a", export.toString(), copy.toString());
        return copy;
    }

    private static Path largestBlob(Path dir) throws IOException {
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
            return blobs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
    }
}
