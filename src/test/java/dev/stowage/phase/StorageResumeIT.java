package dev.stowage.phase;

import static dev.stowage.phase.StorageChecks.assertSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.HostFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL in the middle of the work: an export (uncompressed, {@code --compress none}) while it
 * writes a volume, an import while it extracts a volume and again while it creates containers.
 * Each rerun carries on from the journal, and the end result verifies with no difference.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageResumeIT {
    /** Random data in the bulk volume, so that writing and extracting it takes a moment to land a kill in. */
    private static final long BULK_BLOB_BYTES = 64_000_000L;

    static final HostFixtures fixture = new HostFixtures(BULK_BLOB_BYTES);
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", fixture::seed);
    @RegisterExtension
    static DockerdExtension target = DockerdExtension.empty("vfs");

    static Path work;
    static Path dir;

    @BeforeAll
    static void workDir() throws IOException {
        work = Files.createTempDirectory("stowage-resume-it");
        dir = work.resolve("export");
    }

    @AfterAll
    static void removeWork() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    @Order(1)
    void exportKilledWhileWritingAVolumeResumesAndRemembersWhatItStopped() throws Exception {
        String unit = "export/volume/" + HostFixtures.BULK;
        killWhen(source.daemon(), "export", record -> isStarted(record, unit), "--compress", "none");
        assertFalse(Files.exists(dir.resolve("manifest.json")), "no manifest from a killed export");
        assertFalse(journal().stream().anyMatch(r -> r.path("unit").asText().equals(unit)
                && r.path("type").asText().equals("done")), "the kill landed while the volume was written");
        assertEquals("exited", StorageChecks.status(source.daemon(), HostFixtures.WEB), "the export had stopped it");

        Run rerun = StorageChecks.export(source.daemon(), dir, "--compress", "none");
        assertSucceeded(rerun);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        manifest.path("volumes").forEach(v -> assertEquals("none", v.path("compression").asText(), v::toString));
        Map<String, String> states = new HashMap<>();
        manifest.path("containers").forEach(c -> states.put(c.path("name").asText(), c.path("state").asText()));
        assertEquals(HostFixtures.STATES, states, "the rerun knows which containers ran before the killed run stopped them");
        try (var temp = Files.list(dir.resolve("tmp"))) {
            assertEquals(0, temp.count(), "the killed run's partial blob was cleared");
        }
    }

    @Test
    @Order(2)
    void importKilledWhileExtractingAVolumeAndWhileCreatingContainersResumesAndVerifies() throws Exception {
        PrivateDaemon daemon = target.daemon();
        String volumeUnit = "import/volume/" + HostFixtures.BULK;
        killWhen(daemon, "import", record -> isStarted(record, volumeUnit));
        assertFalse(isDone(volumeUnit), "the kill landed while the volume was extracted");

        String container = killWhen(daemon, "import",
                record -> record.path("unit").asText().matches("import/container/[0-9a-f]{64}")
                        && record.path("type").asText().equals("started"));
        assertFalse(isDone(container), "the kill landed while a container was made");

        Run rerun = StorageChecks.importInto(daemon, dir);
        assertSucceeded(rerun);
        StorageChecks.assertVerified(daemon, dir);
        StorageChecks.assertSeededStates(daemon);
        assertEquals(HostFixtures.VOLUME_PAGE, StorageChecks.httpGet(fixture.webPort(), "/data/page.html"));
        StorageChecks.assertVolumesMatch(source.daemon(), daemon);
        StorageChecks.assertFilesystemsMatch(source.daemon(), daemon);
        assertEquals(HostFixtures.STATES.size(), daemon.dockerOk("ps", "-a", "-q").split("\n").length,
                "no container was made twice");
    }

    /**
     * Runs {@code storage <command>} and SIGKILLs it as soon as the journal shows a record that
     * {@code when} accepts; returns that record's unit.
     */
    private static String killWhen(PrivateDaemon daemon, String command, Predicate<JsonNode> when, String... extra)
            throws Exception {
        Path logs = Files.createTempDirectory(work, command);
        List<String> args = new ArrayList<>(List.of("storage", command, "--host", daemon.host(), "--dir",
                dir.toString(), "--json"));
        args.addAll(List.of(extra));
        Process process = StowageProcess.start(logs, args.toArray(String[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        Optional<JsonNode> seen = Optional.empty();
        while (seen.isEmpty() && process.isAlive() && System.nanoTime() < deadline) {
            seen = journal().stream().filter(when).findFirst();
            if (seen.isEmpty()) {
                Thread.sleep(2);
            }
        }
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        process.waitFor(30, TimeUnit.SECONDS);
        assertTrue(seen.isPresent(), "the " + command + " never reached the point to kill it at:\n"
                + Files.readString(logs.resolve("stdout.txt")) + Files.readString(logs.resolve("stderr.txt")));
        assertEquals(137, process.exitValue(), "it was killed, not finished");
        return seen.get().path("unit").asText();
    }

    private static boolean isStarted(JsonNode record, String unit) {
        return record.path("unit").asText().equals(unit) && record.path("type").asText().equals("started");
    }

    private static boolean isDone(String unit) {
        List<JsonNode> records = journal();
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).path("unit").asText().equals(unit)) {
                return records.get(i).path("type").asText().equals("done");
            }
        }
        return false;
    }

    /** The journal's whole lines (a line being written is skipped). */
    private static List<JsonNode> journal() {
        List<JsonNode> records = new ArrayList<>();
        Path file = dir.resolve("journal.jsonl");
        if (!Files.exists(file)) {
            return records;
        }
        ObjectMapper mapper = new ObjectMapper();
        try {
            for (String line : Files.readAllLines(file)) {
                try {
                    records.add(mapper.readTree(line));
                } catch (IOException torn) {
                    break;
                }
            }
        } catch (IOException e) {
            return records;
        }
        return records;
    }
}
