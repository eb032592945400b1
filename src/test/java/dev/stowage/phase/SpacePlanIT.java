package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StorageFixtures;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The space plan against what an export really writes: the bytes the dry run predicts for the
 * migration directory, against the bytes of every file in it after the export (blobs, manifest,
 * journal). The figures are printed as SPACE-ACCURACY lines; the estimate must be within ±10 %.
 * Also prints what the disk health gate and the watcher cost (GATE-TIME, WATCH-COST).
 */
class SpacePlanIT {
    static final double TOLERANCE = 0.10;

    @RegisterExtension
    static DockerdExtension imagesOnly = DockerdExtension.of("overlay2", ImageFixtures::small);

    @RegisterExtension
    static DockerdExtension withContainers = DockerdExtension.of("overlay2", StorageFixtures::containersAndVolumes);

    @RegisterExtension
    static DockerdExtension vfsTarget = DockerdExtension.empty("vfs");

    Path work;

    @BeforeEach
    void workDir() throws IOException {
        work = Files.createTempDirectory("stowage-space-it-");
    }

    @AfterEach
    void cleanWork() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    void imageOnlyExportIsPredictedWithinTenPercent() throws IOException {
        accuracy("image-only", imagesOnly.daemon(), work.resolve("images"));
    }

    @Test
    void containersAndVolumesExportIsPredictedWithinTenPercent() throws IOException {
        Path dir = work.resolve("all");
        JsonNode dry = accuracy("containers+volumes zstd", withContainers.daemon(), dir);
        List<String> what = new ArrayList<>();
        dry.path("space_plan").forEach(row -> what.add(row.path("what").asText()));
        assertEquals(List.of("image blobs", "volume archives, zstd", "writable layers, zstd", "manifest and journal"),
                what, "images are read from the layer store on this host: the daemon stages no save");
    }

    @Test
    void viaSaveAddsTheDaemonsStagingOfTheSave() {
        Run dry = StowageProcess.run("storage", "export", "--host", imagesOnly.daemon().host(), "--dir",
                work.resolve("via-save").toString(), "--dry-run", "--json", "--via-save");
        assertEquals(0, dry.exitCode(), dry::toString);
        JsonNode staging = null;
        for (JsonNode row : dry.summary().path("space_plan")) {
            if (row.path("what").asText().equals("daemon's save")) {
                staging = row;
            }
        }
        assertTrue(staging != null, dry.summary().toString());
        assertTrue(staging.path("bytes").asLong() > 0, staging.toString());
    }

    @Test
    void dryRunPrintsThePlanAsAnAlignedTable() {
        PrivateDaemon daemon = imagesOnly.daemon();
        Path dir = work.resolve("table");
        Run run = StowageProcess.run("storage", "export", "--host", daemon.host(), "--dir", dir.toString(), "--dry-run");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.stdout().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("WHAT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no table in:\n" + run)));
        String head = lines.get(header);
        for (String column : List.of("COUNT", "SIZE", "INODES", "WHERE", "FILESYSTEM", "FREE", "VERDICT")) {
            assertTrue(head.contains(column), head);
        }
        int where = head.indexOf("WHERE");
        String blobs = lines.get(header + 1);
        assertTrue(blobs.startsWith("image blobs"), blobs);
        assertEquals(dir.toString(), blobs.substring(where, where + dir.toString().length()), "columns line up");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("total (+") && l.endsWith("fits")), run.stdout());
        assertTrue(run.stdout().contains("disk health: healthy"), run.stdout());
        assertTrue(!Files.exists(dir.resolve("blobs/sha256")) || listSize(dir.resolve("blobs/sha256")) == 0,
                "a dry run writes no blob");
    }

    @Test
    void importPlansTheTargetDriversFootprintAndItsLoadStaging() throws IOException {
        Path dir = work.resolve("to-vfs");
        accuracy("image-only (for import)", imagesOnly.daemon(), dir);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        long vfs = 0;
        long stream = 0;
        java.util.Set<String> chains = new java.util.HashSet<>();
        java.util.Set<String> blobs = new java.util.HashSet<>();
        for (JsonNode image : manifest.path("images")) {
            StringBuilder chain = new StringBuilder();
            long cumulative = 0;
            for (JsonNode layer : image.path("layers")) {
                chain.append('/').append(layer.path("digest").asText());
                cumulative += layer.path("size").asLong();
                if (chains.add(chain.toString())) {
                    vfs += cumulative;
                }
                if (blobs.add(layer.path("digest").asText())) {
                    stream += layer.path("size").asLong();
                }
            }
            if (blobs.add(image.path("config").path("digest").asText())) {
                stream += image.path("config").path("size").asLong();
            }
        }
        PrivateDaemon target = vfsTarget.daemon();
        Run dry = StowageProcess.run("storage", "import", "--host", target.host(), "--dir", dir.toString(),
                "--dry-run", "--json");
        assertEquals(0, dry.exitCode(), dry::toString);
        java.util.Map<String, Long> planned = new java.util.HashMap<>();
        dry.summary().path("space_plan").forEach(r -> planned.put(r.path("what").asText(), r.path("bytes").asLong()));
        assertEquals(vfs, planned.get("images (vfs)"), "vfs keeps a full copy of the root filesystem per layer");
        assertEquals(stream, planned.get("daemon's load"), "the load is staged whole under <data-root>/tmp");

        Path dataRoot = Path.of(target.dockerOk("info", "--format", "{{.DockerRootDir}}"));
        long before = du(dataRoot);
        Run imported = StowageProcess.run("storage", "import", "--host", target.host(), "--dir", dir.toString(), "--json");
        assertEquals(0, imported.exitCode(), imported::toString);
        long grown = du(dataRoot) - before;
        System.out.printf(Locale.ROOT, "IMPORT-FOOTPRINT vfs: planned %,d B for images, the data-root grew by %,d B"
                + " (%+.1f %%)%n", vfs, grown, ((double) vfs / grown - 1) * 100);
    }

    /** Bytes allocated under {@code dir}, as du counts them. */
    private static long du(Path dir) {
        return Long.parseLong(Shell.run("du", "-s", "--block-size=1", dir.toString()).split("\\s+")[0]);
    }

    /** Dry run, then the export; compares the prediction with the bytes written. Returns the dry run's summary. */
    private JsonNode accuracy(String label, PrivateDaemon daemon, Path dir) throws IOException {
        Run dry = StowageProcess.run("storage", "export", "--host", daemon.host(), "--dir", dir.toString(),
                "--dry-run", "--json");
        assertEquals(0, dry.exitCode(), dry::toString);
        JsonNode plan = dry.summary();
        assertTrue(plan.path("fits").asBoolean(), plan.toString());
        long predicted = plan.path("estimated_bytes").asLong();

        Run export = StowageProcess.run("storage", "export", "--host", daemon.host(), "--dir", dir.toString(), "--json");
        assertEquals(0, export.exitCode(), export::toString);
        assertEquals(predicted, export.summary().path("estimated_bytes").asLong(), "the run plans as the dry run did");
        long blobs = bytesUnder(dir.resolve("blobs"));
        long written = bytesUnder(dir);
        double error = (double) predicted / written - 1;
        System.out.printf(Locale.ROOT, "SPACE-ACCURACY %-24s predicted %,d B, written %,d B (blobs %,d, manifest and"
                + " journal %,d): %+.2f %%%n", label, predicted, written, blobs, written - blobs, error * 100);
        assertTrue(Math.abs(error) <= TOLERANCE, label + ": predicted " + predicted + ", written " + written);

        List<JsonNode> health = journal(dir).stream().filter(r -> r.path("unit").asText().startsWith("health/")).toList();
        JsonNode gate = health.stream().filter(r -> r.path("unit").asText().equals("health/gate")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no health/gate note in the journal"));
        JsonNode watch = health.stream().filter(r -> r.path("data").path("event").asText().equals("summary"))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no watcher summary in the journal"));
        System.out.printf(Locale.ROOT, "GATE-TIME %-24s %s s, verdict %s; WATCH-COST %d samples, mean %s ms, max %s ms,"
                + " export %s s%n", label, gate.path("data").path("seconds").asText(),
                gate.path("data").path("verdict").asText(), watch.path("data").path("samples").asLong(),
                watch.path("data").path("sample_ms_mean").asText(), watch.path("data").path("sample_ms_max").asText(),
                export.summary().path("seconds").asText());
        assertEquals("healthy", gate.path("data").path("verdict").asText());
        assertEquals(0, watch.path("data").path("stalls").asInt(), "no stall on a healthy disk");
        return plan;
    }

    static List<JsonNode> journal(Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("journal.jsonl"))) {
            records.add(mapper.readTree(line));
        }
        return records;
    }

    static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static long listSize(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
