package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.testing.ControlledDaemon;
import dev.stowage.testing.JsonLinesTail;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kill -9} of a running {@code storage migrate} at every phase boundary and in the middle of
 * a unit of every phase that has units (a 30 MB layer being saved, a 30 MB volume being exported,
 * the old data-root being deleted, a volume being extracted, the image load, a container being
 * recreated), each followed by {@code storage status} and by a rerun of the same command. One
 * point gets a SIGINT instead (Ctrl-C): exit 130, and the rerun carries on the same way.
 *
 * <p>To stay affordable, one migration takes several kills in a row: each rerun must carry on past
 * the previous kill to reach the next one, and the last rerun must finish; then the daemon must
 * hold what it held before (docker CLI listing, the web page), {@code storage verify} must find no
 * difference, and the journal must show no finished unit started again. Three migrations (overlay2
 * to vfs, back, and again, in place, so every one goes through the reset) share one seeded daemon.
 * The kill points are found from outside, by tailing the journal and watching the disk.
 */
class MigrateKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Phases during which the daemon is down: {@code status} must work then. */
    private static final Set<String> DAEMON_DOWN = Set.of("reset", "modify");

    static ControlledDaemon daemon;
    static Map<String, String> seeded;

    @BeforeAll
    static void seed() {
        daemon = ControlledDaemon.start("overlay2");
        MigrationScenario.seed(daemon, true);
        seeded = MigrationScenario.snapshot(daemon);
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    static Stream<Arguments> migrations() {
        Path dataRoot = daemon.defaultDataRoot(); // arguments are made after @BeforeAll
        return Stream.of(
                Arguments.of("before the point of no return", "vfs", List.of(
                        KillPoint.boundary("precheck"),
                        KillPoint.boundary("export"),
                        KillPoint.midLayerSave(),
                        KillPoint.midUnit("export, mid 30 MB volume", "export", "export/volume/bulkdata").interrupt(),
                        KillPoint.midUnit("export, mid 30 MB volume", "export", "export/volume/bulkdata"),
                        KillPoint.boundary("verify-export"),
                        KillPoint.boundary("stop-daemon"))),
                Arguments.of("reset to import", "overlay2", List.of(
                        KillPoint.boundary("reset"),
                        KillPoint.midUnit("reset, mid delete", "reset", "reset/"),
                        KillPoint.boundary("modify"),
                        KillPoint.boundary("start-daemon"),
                        KillPoint.boundary("import"),
                        KillPoint.midUnit("import, mid 30 MB volume", "import", "import/volume/bulkdata")
                                .pausedForStatus())),
                Arguments.of("import to the end", "vfs", List.of(
                        KillPoint.midLoad(dataRoot),
                        KillPoint.midUnit("import, mid container", "import", "import/container/"),
                        KillPoint.boundary("verify"),
                        KillPoint.boundary("cleanup"))));
    }

    @ParameterizedTest(name = "{0}: to {1}, killed at {2}")
    @MethodSource("migrations")
    void killedAtEachPointTheRerunCarriesOnAndEndsVerified(String label, String driver, List<KillPoint> points)
            throws Exception {
        Path dir = daemon.workDir("migrate-" + driver + "-" + label.replace(' ', '-'));
        List<String> args = MigrationScenario.migrateArgs(daemon, dir, driver, null);
        for (KillPoint point : points) {
            long start = System.nanoTime();
            killAt(point, dir, args);
            List<JsonNode> journal = records(dir);
            JsonNode lastRecord = journal.get(journal.size() - 1);
            System.out.printf("killed at %s after %.1f s; last journal record: %s %s%n", point,
                    (System.nanoTime() - start) / 1e9, lastRecord.path("type").asText(), lastRecord.path("unit").asText());
            assertLanded(point, dir);
            assertStatusNames(point, dir);
        }

        boolean endedBeforeRerun = ended(dir); // the last kill point may land after the end (see assertStatusNames)
        Run last = StowageProcess.run(args.toArray(new String[0]));
        assertEquals(0, last.exitCode(), last::toString);
        assertEquals(!endedBeforeRerun, last.summary().path("changed").asBoolean(), last::toString);
        assertEquals(driver, daemon.info("{{.Driver}}"));
        assertEquals(seeded, MigrationScenario.snapshot(daemon));
        assertEquals(MigrationScenario.PAGE, MigrationScenario.fetchPage(daemon));
        MigrationScenario.assertVerified(daemon, dir);
        assertNoFinishedUnitStartedAgain(dir);
        Run status = StowageProcess.run("storage", "status", "--dir", dir.toString(), "--json");
        assertEquals(0, status.exitCode(), status::toString);
        assertFalse(status.summary().path("in_progress").asBoolean(true), status::toString);
    }

    /** Starts the migration and signals it at {@code point}; fails if it ends before getting there. */
    private static void killAt(KillPoint point, Path dir, List<String> args) throws Exception {
        Path logs = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-logs"));
        JsonLinesTail journal = JsonLinesTail.fromEnd(dir.resolve("journal.jsonl")); // this run's records only
        Process run = StowageProcess.start(logs, args.toArray(new String[0]));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        boolean triggered = false;
        while (true) {
            if (!triggered) {
                triggered = journal.poll().stream().anyMatch(point.trigger());
            }
            if (triggered && point.onDisk().test(dir)) {
                if (point.signal().equals("STOP")) {
                    Shell.run("kill", "-STOP", Long.toString(run.pid()));
                    assertStatusWhileRunning(point, dir, run.pid());
                }
                if (point.signal().equals("INT")) {
                    Shell.run("kill", "-INT", Long.toString(run.pid()));
                } else {
                    run.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no journal flush
                }
                break;
            }
            if (!run.isAlive() || System.nanoTime() > deadline) {
                run.destroyForcibly();
                run.waitFor(30, TimeUnit.SECONDS);
                fail("the run ended (exit " + (run.isAlive() ? "none" : run.exitValue()) + ") before the kill point "
                        + point + ":\n" + Files.readString(logs.resolve("stdout.txt")) + "\n"
                        + Files.readString(logs.resolve("stderr.txt")));
            }
            Thread.sleep(0, 500_000);
        }
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(point.exitStatus(), run.exitValue(), "the run ended by SIG" + point.signal() + " at " + point
                + ", not finished:\n" + Files.readString(logs.resolve("stderr.txt")));
    }

    /** While a run holds the migration directory, status still reads it, and says a run is under way. */
    private static void assertStatusWhileRunning(KillPoint point, Path dir, long pid) {
        Run status = StowageProcess.run("storage", "status", "--dir", dir.toString(), "--json");
        assertEquals(0, status.exitCode(), status::toString);
        JsonNode summary = status.summary();
        assertTrue(summary.path("in_progress").asBoolean(), status::toString);
        assertTrue(summary.path("running").asBoolean(), status::toString);
        assertTrue(summary.path("holder").asText().contains("pid " + pid), status::toString);
        assertTrue(summary.path("next").asText().startsWith(point.phase() + ":"), status::toString);
        boolean running = false;
        for (JsonNode phase : summary.path("phases")) {
            if (phase.path("phase").asText().equals(point.phase())) {
                running = phase.path("state").asText().contains("running");
            }
        }
        assertTrue(running, point.phase() + " shows as running, not interrupted:\n" + status);
    }

    /** A kill in the middle of a unit must have landed between its started and its done record. */
    private static void assertLanded(KillPoint point, Path dir) throws IOException {
        if (point.unit() == null) {
            return;
        }
        Map<String, String> last = new HashMap<>();
        for (JsonNode record : records(dir)) {
            if (record.path("unit").asText().startsWith(point.unit())) {
                last.put(record.path("unit").asText(), record.path("type").asText());
            }
        }
        assertTrue(last.containsValue("started"), "the kill at " + point + " landed inside the unit: " + last);
    }

    /**
     * {@code storage status} reads the journal alone: it names the phase the next run carries on
     * with, and shows it interrupted, with the daemon up or down. A kill at a boundary may land just
     * after the phase finished (the next one not begun): then status names the next phase, or, after
     * the last, nothing left but to record the end; a kill at the start of the last phase (which only
     * prints a note) may even come after the end was recorded: then nothing is in progress.
     */
    private static void assertStatusNames(KillPoint point, Path dir) throws IOException {
        if (DAEMON_DOWN.contains(point.phase())) {
            assertFalse(daemon.answers(), "the daemon is down during " + point.phase());
        }
        List<String> phases = Migration.PHASES.stream().map(MigrationPhase::name).toList();
        Map<String, String> lastOfPhase = new HashMap<>();
        for (JsonNode record : records(dir)) {
            String unit = record.path("unit").asText();
            if (unit.startsWith("migrate/phase/")) {
                lastOfPhase.put(unit.substring("migrate/phase/".length()), record.path("type").asText());
            }
        }
        String expected = phases.stream().filter(p -> !"done".equals(lastOfPhase.get(p))).findFirst().orElse(null);
        int at = phases.indexOf(point.phase());
        boolean justAfter = point.unit() == null && lastOfPhase.containsKey(point.phase())
                && "done".equals(lastOfPhase.get(point.phase()))
                && (at + 1 == phases.size() ? expected == null : phases.get(at + 1).equals(expected));
        assertTrue(point.phase().equals(expected) || justAfter, "the kill at " + point + " landed in "
                + point.phase() + ", or right after it at a boundary; the journal says: " + lastOfPhase);

        Run status = StowageProcess.run("storage", "status", "--dir", dir.toString(), "--json");
        assertEquals(0, status.exitCode(), status::toString);
        JsonNode summary = status.summary();
        assertEquals(!ended(dir), summary.path("in_progress").asBoolean(), status::toString);
        assertFalse(summary.path("running").asBoolean(true), "no run holds the directory now: " + status);
        if (expected == null) {
            assertTrue(summary.path("next").isNull(), status::toString);
            return;
        }
        assertTrue(summary.path("next").asText().startsWith(expected + ":"), "after a kill at " + point
                + ", status says the next run carries on with " + expected + ":\n" + status);
        String state = "";
        for (JsonNode phase : summary.path("phases")) {
            if (phase.path("phase").asText().equals(expected)) {
                state = phase.path("state").asText();
            }
        }
        assertEquals(lastOfPhase.containsKey(expected) ? "in progress (interrupted)" : "to do", state, status::toString);
    }

    /** Whether the journal recorded the migration's end. */
    private static boolean ended(Path dir) throws IOException {
        return records(dir).stream().anyMatch(r -> "migrate/complete".equals(r.path("unit").asText())
                && "done".equals(r.path("type").asText()));
    }

    /** The journal's promise: a unit done is never started again by a rerun. */
    private static void assertNoFinishedUnitStartedAgain(Path dir) throws IOException {
        Map<String, Long> doneAt = new HashMap<>();
        List<String> redone = new ArrayList<>();
        for (JsonNode record : records(dir)) {
            String unit = record.path("unit").asText();
            String type = record.path("type").asText();
            if (type.equals("done")) {
                doneAt.putIfAbsent(unit, record.path("seq").asLong());
            } else if (type.equals("started") && doneAt.containsKey(unit)) {
                redone.add(unit + " (done at " + doneAt.get(unit) + ", started again at " + record.path("seq") + ")");
            }
        }
        assertEquals(List.of(), redone, "finished units started again");
    }

    private static List<JsonNode> records(Path dir) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("journal.jsonl"))) {
            records.add(JSON.readTree(line));
        }
        return records;
    }
}
