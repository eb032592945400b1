package dev.stowage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real {@code --json} runs of every command and outcome against a private dockerd, every line
 * checked against docs/json-output.md: the document describes what the phases really print, not
 * only what the reporter can print.
 */
class JsonContractIT {
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", ImageFixtures::small);

    static Path work;
    static final List<JsonNode> LINES = new ArrayList<>();

    @BeforeAll
    static void runEveryCommand() throws IOException {
        work = Files.createTempDirectory("stowage-it-json");
        PrivateDaemon daemon = source.daemon();
        String dir = work.resolve("export").toString();
        collect(0, "--json", "storage", "export", "--dry-run", "--host", daemon.host(), "--dir", dir);
        collect(0, "--json", "storage", "export", "--host", daemon.host(), "--dir", dir);
        collect(0, "--json", "storage", "export", "--host", daemon.host(), "--dir", dir);
        // One image gone, one tag gone, one tag taken by another image: load, tag and conflict.
        daemon.dockerOk("rmi", "stowage-test/worker:2");
        daemon.dockerOk("rmi", "stowage-test/busybox:latest");
        daemon.dockerOk("tag", "stowage-test/orphan:tmp", "stowage-test/app:latest");
        collect(0, "--json", "storage", "import", "--dry-run", "--host", daemon.host(), "--dir", dir);
        collect(6, "--json", "storage", "import", "--host", daemon.host(), "--dir", dir);
        collect(5, "--json", "storage", "export", "--host", "unix://" + work.resolve("none.sock"), "--dir", dir);
    }

    private static void collect(int exitCode, String... args) {
        Run run = StowageProcess.run(args);
        assertEquals(exitCode, run.exitCode(), run::toString);
        LINES.addAll(run.jsonLines());
    }

    @AfterAll
    static void cleanWork() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    void everyLineOfEveryRunIsDocumented() {
        JsonContract contract = JsonContract.load();
        List<String> problems = new ArrayList<>();
        LINES.forEach(line -> problems.addAll(contract.problems(line)));
        assertEquals(List.of(), problems);
    }

    @Test
    void theRunsCoverEveryDocumentedKindOfLine() {
        Set<String> seen = new TreeSet<>();
        JsonContract contract = JsonContract.load();
        LINES.forEach(line -> seen.addAll(contract.tablesFor(line)));
        Set<String> documented = new TreeSet<>(contract.tables().keySet());
        documented.remove("exit-codes");
        assertEquals(documented, seen);
    }

    @Test
    void everyRunEndsWithOneSummaryOrErrorAndNothingElseOnStdout() {
        long closing = LINES.stream().map(l -> l.path("message_type").asText())
                .filter(t -> t.equals("summary") || t.equals("error")).count();
        // 5 summaries (export dry run, export twice, import dry run, import) and 2 errors.
        assertEquals(7, closing);
        assertTrue(LINES.stream().allMatch(l -> l.has("message_type")));
    }
}
