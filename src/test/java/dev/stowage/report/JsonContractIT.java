package dev.stowage.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.testing.ControlledDaemon;
import dev.stowage.testing.DockerCli;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real {@code --json} runs of every command and outcome against private dockerds, every line
 * checked against docs/json-output.md: the document describes what the commands really print, not
 * only what the reporter can print. One daemon goes through export, verify, status, reset and
 * migrate dry runs, and an import into a changed daemon (so that every unit action shows up); a
 * second one, configured by its daemon.json and driven by start/stop scripts, is really migrated.
 */
class JsonContractIT {
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", JsonContractIT::seed);

    /** Documented tables these runs do not produce, and why; the golden test renders them. */
    static final Map<String, String> NOT_RUN = Map.of(
            "unit/volume/reused", "only when an export resumes after a crash (ExportFailureIT)",
            "unit/container/reused", "only when an export resumes after a crash (ExportFailureIT)",
            "summary/probe.targets.diskstats", "only for a path on a block device (not overlay or tmpfs)",
            "summary/probe.targets.active.pending", "only when a disk stalls (ProbeThrottleIT)",
            "summary/probe.pressure", "only where the kernel has PSI (/proc/pressure/io)",
            "summary/probe.findings", "only when the host shows IO pressure or threads stuck in D state");

    /** One run: its arguments and JSON lines, and the summary operations and errors it must end with. */
    record Recorded(List<String> args, List<JsonNode> lines, List<String> closing) {
    }

    static Path work;
    static final List<Recorded> RUNS = new ArrayList<>();

    /** The small image seed, two networks, three volumes, two running containers and an exited one. */
    static void seed(DockerCli daemon) {
        ImageFixtures.small(daemon);
        int net = java.util.concurrent.ThreadLocalRandom.current().nextInt(16, 250);
        daemon.dockerOk("network", "create", "--subnet", "10." + net + ".1.0/24", "net-a");
        daemon.dockerOk("network", "create", "--subnet", "10." + net + ".2.0/24", "net-b");
        // sh traps TERM so that the export's stop is quick
        daemon.dockerOk("run", "-d", "--name", "web", "--network", "net-a", "-v", "data:/data", ImageFixtures.BASE,
                "sh", "-c", "echo hi > /data/hi; trap 'exit 0' TERM; sleep 100000 & wait");
        daemon.dockerOk("run", "-d", "--name", "worker", "-v", "scratch:/scratch", ImageFixtures.BASE,
                "sh", "-c", "echo w > /scratch/w; trap 'exit 0' TERM; sleep 100000 & wait");
        daemon.dockerOk("run", "--name", "job", "-v", "cache:/cache", ImageFixtures.BASE,
                "sh", "-c", "echo done > /result; echo c > /cache/c");
    }

    @BeforeAll
    static void runEveryCommand() throws IOException {
        work = Files.createTempDirectory("stowage-json-it");
        PrivateDaemon daemon = source.daemon();
        String host = daemon.host();
        String dir = work.resolve("export").toString();
        collect(Set.of(0), List.of("export"), "storage", "export", "--dry-run", "--host", host, "--dir", dir);
        collect(Set.of(0), List.of("export"), "storage", "export", "--host", host, "--dir", dir);
        collect(Set.of(0), List.of("export"), "storage", "export", "--host", host, "--dir", dir);
        collect(Set.of(0), List.of("verify"), "storage", "verify", "--host", host, "--dir", dir);
        collect(Set.of(0), List.of("status"), "storage", "status", "--dir", dir);
        collect(Set.of(0), List.of("reset"), "storage", "reset", "--dry-run", "--stop-daemon", "--host", host,
                "--dir", dir);
        Path config = Files.writeString(work.resolve("daemon.json"), "{}\n");
        String otherDir = work.resolve("plan").toString();
        collect(Set.of(0), List.of("export"), "storage", "migrate", "--dry-run", "--driver", "vfs", "--config-file",
                config.toString(), "--host", host, "--dir", otherDir);
        collect(Set.of(0), List.of("migrate"), "storage", "migrate", "--dry-run", "--driver", "overlay2",
                "--config-file", config.toString(), "--host", host, "--dir", otherDir);

        // Images: one gone, one tag gone, one tag taken by another image. Containers: web stays (a
        // conflict), worker and job are gone. Volumes: data stays (holds data: a conflict), scratch is
        // gone, cache is there but empty (filled). Networks: net-a stays, net-b is gone.
        daemon.dockerOk("rmi", "stowage-test/worker:2");
        daemon.dockerOk("rmi", "stowage-test/busybox:latest");
        daemon.dockerOk("tag", "stowage-test/orphan:tmp", "stowage-test/app:latest");
        daemon.dockerOk("rm", "-f", "worker", "job");
        daemon.dockerOk("volume", "rm", "scratch", "cache");
        daemon.dockerOk("volume", "create", "cache");
        daemon.dockerOk("network", "rm", "net-b");
        collect(Set.of(0), List.of("import"), "storage", "import", "--dry-run", "--host", host, "--dir", dir);
        collect(Set.of(6), List.of("import", "error"), "storage", "import", "--host", host, "--dir", dir);
        collect(Set.of(6), List.of("import", "error"), "storage", "import", "--host", host, "--dir", dir);
        // the tag app:latest and the volume data still differ from the export
        collect(Set.of(6), List.of("verify", "error"), "storage", "verify", "--host", host, "--dir", dir);
        collect(Set.of(5), List.of("error"), "storage", "export", "--host", "unix://" + work.resolve("none.sock"),
                "--dir", dir);
        collect(Set.of(2), List.of("error"), "storage", "export", "--no-such-option", "--dir", dir);
        // healthy, or degraded on a busy machine; either way a summary and no error line
        collect(Set.of(0, 10), List.of("probe"), "probe", "--duration", "2s", work.toString());
        Path modify = Files.createDirectories(work.resolve("modify"));
        String modifyConfig = modify.resolve("daemon.json").toString();
        collect(Set.of(0), List.of("modify"), "storage", "modify", "--dry-run", "--driver", "vfs", "--data-root",
                modify.resolve("root").toString(), "--config-file", modifyConfig);
        collect(Set.of(0), List.of("modify"), "storage", "modify", "--driver", "vfs", "--data-root",
                modify.resolve("root").toString(), "--config-file", modifyConfig);
        // a data-root that is a file: refused, with the summary first
        String file = Files.writeString(modify.resolve("a-file"), "x").toString();
        collect(Set.of(3), List.of("modify", "error"), "storage", "modify", "--driver", "vfs", "--data-root", file,
                "--config-file", modifyConfig);
        migrateAHostForReal();
    }

    /** overlay2 to vfs on the same data-root (so reset runs), first with a stop command that fails. */
    private static void migrateAHostForReal() {
        try (ControlledDaemon host = ControlledDaemon.start("overlay2")) {
            seed(host);
            String dir = work.resolve("migrate").toString();
            List<String> migrate = List.of("storage", "migrate", "--driver", "vfs", "--host", host.host(), "--dir", dir,
                    "--config-file", host.configFile().toString(), "--start-command", host.startScript().toString(),
                    "--daemon-log", host.logFile().toString(), "--daemon-timeout", "90", "--yes");
            collect(Set.of(5), List.of("export", "error"), with(migrate, "--stop-command", "/bin/false"));
            collect(Set.of(0), List.of("status"), "storage", "status", "--dir", dir);
            collect(Set.of(0), List.of("reset", "import", "migrate"),
                    with(migrate, "--stop-command", host.stopScript().toString()));
            collect(Set.of(0), List.of("migrate"), with(migrate, "--stop-command", host.stopScript().toString()));
            assertEquals("vfs", host.info("{{.Driver}}"));
        }
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static void collect(Set<Integer> exitCodes, List<String> closing, String... args) {
        List<String> command = new ArrayList<>(List.of("--json"));
        command.addAll(List.of(args));
        Run run = StowageProcess.run(command.toArray(new String[0]));
        assertTrue(exitCodes.contains(run.exitCode()), run::toString);
        RUNS.add(new Recorded(command, run.jsonLines(), closing));
    }

    static List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        RUNS.forEach(r -> lines.addAll(r.lines()));
        return lines;
    }

    @AfterAll
    static void cleanWork() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    @Test
    void everyLineOfEveryRunIsDocumented() {
        JsonContract contract = JsonContract.load();
        List<String> problems = new ArrayList<>();
        lines().forEach(line -> problems.addAll(contract.problems(line)));
        assertEquals(List.of(), problems);
    }

    @Test
    void theRunsCoverEveryDocumentedKindOfLine() {
        JsonContract contract = JsonContract.load();
        Set<String> documented = new TreeSet<>(contract.tables().keySet());
        documented.remove("exit-codes");
        assertTrue(documented.containsAll(NOT_RUN.keySet()), "NOT_RUN names tables the document lacks");
        Set<String> unseen = new TreeSet<>(documented);
        unseen.removeAll(contract.seen(lines()));
        unseen.removeAll(NOT_RUN.keySet());
        assertEquals(Set.of(), unseen, "documented, but no run printed such a line");
    }

    @Test
    void everyRunEndsWithItsSummariesOrAnErrorAndPrintsNothingElseOnStdout() {
        for (Recorded run : RUNS) {
            List<String> closing = new ArrayList<>();
            for (JsonNode line : run.lines()) {
                assertTrue(line.has("message_type"), line.toString());
                String type = line.path("message_type").asText();
                if (type.equals("summary")) {
                    closing.add(line.path("operation").asText());
                } else if (type.equals("error")) {
                    closing.add("error");
                }
            }
            assertEquals(run.closing(), closing, () -> String.join(" ", run.args()));
            String last = run.lines().get(run.lines().size() - 1).path("message_type").asText();
            assertTrue(last.equals("summary") || last.equals("error"), () -> String.join(" ", run.args()));
        }
    }

    @Test
    void migrateSaysWhetherItChangedTheHost() {
        List<JsonNode> migrations = new ArrayList<>();
        for (Recorded run : RUNS) {
            run.lines().stream().filter(l -> l.path("operation").asText().equals("migrate")).forEach(migrations::add);
        }
        // the dry run on a daemon already on the target, the real migration, its rerun
        assertEquals(List.of(false, true, false), migrations.stream().map(m -> m.path("changed").asBoolean()).toList(),
                migrations.toString());
        assertTrue(migrations.get(1).path("target_data_root").asText().startsWith("/"), migrations.toString());
    }
}
