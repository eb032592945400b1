package dev.stowage.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.testing.ControlledDaemon;
import dev.stowage.testing.DockerCli;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * packaging/ansible/stowage-migrate.yml run by ansible-playbook over a local connection against a
 * dockerd configured by its own daemon.json and controlled by start/stop scripts (a host without
 * systemd): a host that cannot be reached stops the play before the next batch; a migration that
 * fails after its dry run surfaces stowage's error and leaves a journal that the next run carries
 * on from; that run migrates (changed) overlay2 to vfs on a new data-root, with the containers,
 * the volume and the network; a rerun reports no change.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnsibleMigrateIT {
    static ControlledDaemon host;
    static Path work;

    @BeforeAll
    static void startHost() throws IOException {
        work = Files.createTempDirectory("stowage-ansible-migrate-it");
        host = ControlledDaemon.start("overlay2");
        seed(host);
    }

    /**
     * One of each: the busybox base and an image built on it, a user-defined network, a volume with a
     * file, a running container using both, and an exited one with a file in its writable layer.
     */
    static void seed(DockerCli daemon) {
        ImageFixtures.base(daemon);
        daemon.build("stowage-test/app:1", "FROM " + ImageFixtures.BASE + "\nRUN echo app > /marker\n");
        daemon.dockerOk("network", "create", "stowage-net");
        daemon.dockerOk("volume", "create", "stowage-data");
        // sh traps TERM so that the export's stop is quick
        daemon.dockerOk("run", "-d", "--name", "web", "--network", "stowage-net", "-v", "stowage-data:/data",
                "stowage-test/app:1", "sh", "-c", "echo hello > /data/hello; trap 'exit 0' TERM; sleep 100000 & wait");
        daemon.dockerOk("run", "--name", "job", "--network", "none", ImageFixtures.BASE, "sh", "-c", "echo done > /result");
    }

    static String storage() {
        return host.info("{{.Driver}} {{.DockerRootDir}}");
    }

    @AfterAll
    static void clean() {
        if (host != null) {
            host.close();
        }
        Shell.quietly("rm", "-rf", work.toString());
    }

    static Shell.Result playbook(String inventory, String... extraVars) throws IOException {
        Path file = Files.writeString(work.resolve("inventory"), inventory);
        List<String> command = new ArrayList<>(List.of("ansible-playbook", "-i", file.toString(),
                "packaging/ansible/stowage-migrate.yml",
                "-e", "stowage_bin=" + StowageProcess.launcher().toAbsolutePath(), "-e", "stowage_serial=1"));
        for (String extra : extraVars) {
            command.addAll(List.of("-e", extra));
        }
        return Shell.run(Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_PYTHON_INTERPRETER", "auto_silent",
                "ANSIBLE_LOCAL_TEMP", work.resolve("ansible-tmp").toString()), command, null, 1200);
    }

    /** The inventory line of the scripted host, migrating to vfs on a new data-root. */
    static String healthy(String name, Path dir, String stopCommand) {
        return name + " ansible_connection=local stowage_docker_host=" + host.host() + " stowage_dir=" + dir
                + " stowage_driver=vfs stowage_data_root=" + host.root().resolve("new-root")
                + " stowage_config_file=" + host.configFile() + " stowage_stop_command=" + stopCommand
                + " stowage_start_command=" + host.startScript() + " stowage_daemon_log=" + host.logFile()
                + " stowage_daemon_timeout=90\n";
    }

    static Path dir() {
        return work.resolve("migrate");
    }

    @Test
    @Order(1)
    void anUnreachableHostStopsWithStowagesErrorAndTheNextBatchDoesNotStart() throws IOException {
        Path none = work.resolve("none.sock");
        String inventory = "[docker_hosts]\n"
                + "broken ansible_connection=local stowage_docker_host=unix://" + none + " stowage_dir="
                + work.resolve("broken") + " stowage_driver=vfs\n"
                + healthy("healthy", work.resolve("healthy-unused"), host.stopScript().toString());
        Shell.Result result = playbook(inventory);

        assertNotEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stdout().contains("cannot reach the Docker daemon at unix://" + none), result.stdout());
        assertTrue(result.stdout().contains("(hint: ") && result.stdout().contains("[stowage exit code 5]"),
                result.stdout());
        assertEquals(Map.of("broken", List.of(0, 1)), AnsibleIT.recap(result), result.stdout());
        assertFalse(Files.exists(work.resolve("healthy-unused")), "the second batch ran after the first failed");
        assertEquals("overlay2 " + host.defaultDataRoot(), storage());
    }

    @Test
    @Order(2)
    void aMigrationThatFailsAfterItsDryRunShowsStowagesErrorAndLeavesAJournalToCarryOnFrom() throws IOException {
        Shell.Result result = playbook("[docker_hosts]\n" + healthy("dockerhost", dir(), "/bin/false"));

        assertNotEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stdout().contains("the stop command failed (exit 1): /bin/false"), result.stdout());
        assertTrue(result.stdout().contains("(hint: fix the command (--stop-command) and run again)"
                + " [stowage exit code 5]"), result.stdout());
        assertEquals(Map.of("dockerhost", List.of(0, 1)), AnsibleIT.recap(result), result.stdout());
        assertEquals("overlay2 " + host.defaultDataRoot(), storage(), "the daemon was not stopped");

        JsonNode status = StowageProcess.run("--json", "storage", "status", "--dir", dir().toString()).summary();
        assertTrue(status.path("in_progress").asBoolean(), status.toString());
        assertTrue(status.path("next").asText().startsWith("stop-daemon"), status.toString());
    }

    @Test
    @Order(3)
    void theNextRunCarriesOnAndMigratesTheHostThenARerunReportsNoChange() throws IOException {
        String inventory = "[docker_hosts]\n" + healthy("dockerhost", dir(), host.stopScript().toString());
        // as a long migration would run: an async task, polled
        Shell.Result first = playbook(inventory, "stowage_async=1200", "stowage_poll=2");
        assertEquals(0, first.exitCode(), () -> first + "\n--- dockerd log\n" + host.log());
        assertEquals(Map.of("dockerhost", List.of(1, 0)), AnsibleIT.recap(first), first.stdout());

        assertEquals("vfs " + host.root().resolve("new-root"), storage());
        assertEquals("running", host.dockerOk("inspect", "-f", "{{.State.Status}}", "web"));
        assertEquals("hello", host.dockerOk("exec", "web", "cat", "/data/hello"));
        assertTrue(host.dockerOk("inspect", "-f", "{{json .NetworkSettings.Networks}}", "web").contains("stowage-net"));
        assertTrue(host.dockerOk("diff", "job").contains("A /result"), "the writable layer of job came along");
        String config = Files.readString(host.configFile());
        assertTrue(config.contains("\"vfs\"") && config.contains(host.root().resolve("new-root").toString()), config);

        Shell.Result again = playbook(inventory);
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(Map.of("dockerhost", List.of(0, 0)), AnsibleIT.recap(again), again.stdout());
        assertEquals("vfs " + host.root().resolve("new-root"), storage());
    }
}
