package dev.stowage.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.testing.DockerdExtension;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * packaging/ansible/stowage-export.yml run by ansible-playbook over a local connection against a
 * private dockerd: changed on the first run, unchanged on a rerun, and a failing host stops with
 * stowage's own error and keeps the next batch from starting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnsibleIT {
    @RegisterExtension
    static DockerdExtension source = DockerdExtension.of("overlay2", ImageFixtures::small);

    private static final Pattern RECAP = Pattern.compile("(?m)^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");

    static Path work;

    @BeforeAll
    static void workDir() throws IOException {
        work = Files.createTempDirectory("stowage-ansible-it");
    }

    @AfterAll
    static void clean() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    static Shell.Result playbook(String inventory) throws IOException {
        Path file = Files.writeString(work.resolve("inventory"), inventory);
        List<String> command = List.of("ansible-playbook", "-i", file.toString(), "packaging/ansible/stowage-export.yml",
                "-e", "stowage_bin=" + StowageProcess.launcher().toAbsolutePath(), "-e", "stowage_serial=1");
        return Shell.run(Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_PYTHON_INTERPRETER", "auto_silent",
                "ANSIBLE_LOCAL_TEMP", work.resolve("ansible-tmp").toString()), command);
    }

    static String host(String name, String dockerHost, Path dir) {
        return name + " ansible_connection=local stowage_docker_host=" + dockerHost + " stowage_dir=" + dir + "\n";
    }

    /** host name to {changed, failed} from the PLAY RECAP. */
    static Map<String, List<Integer>> recap(Shell.Result result) {
        Map<String, List<Integer>> hosts = new java.util.TreeMap<>();
        Matcher matcher = RECAP.matcher(result.stdout());
        while (matcher.find()) {
            hosts.put(matcher.group(1), List.of(Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(5))));
        }
        return hosts;
    }

    @Test
    @Order(1)
    void firstRunExportsAndReportsChangedThenARerunReportsNoChange() throws IOException {
        Path dir = work.resolve("export");
        String inventory = "[docker_hosts]\n" + host("dockerhost", source.daemon().host(), dir);

        Shell.Result first = playbook(inventory);
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(Map.of("dockerhost", List.of(1, 0)), recap(first), first.stdout());
        assertTrue(Files.isRegularFile(dir.resolve("manifest.json")));

        Shell.Result again = playbook(inventory);
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(Map.of("dockerhost", List.of(0, 0)), recap(again), again.stdout());
    }

    @Test
    @Order(2)
    void aFailingHostShowsStowagesErrorAndStopsTheNextBatch() throws IOException {
        String inventory = "[docker_hosts]\n"
                + host("broken", "unix://" + work.resolve("none.sock"), work.resolve("broken"))
                + host("healthy", source.daemon().host(), work.resolve("healthy"));
        Shell.Result result = playbook(inventory);
        assertNotEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stdout().contains("cannot reach the Docker daemon at unix://" + work.resolve("none.sock")),
                result.stdout());
        assertTrue(result.stdout().contains("(hint: ") && result.stdout().contains("[stowage exit code 5]"), result.stdout());
        assertEquals(Map.of("broken", List.of(0, 1)), recap(result), result.stdout());
        assertFalse(Files.exists(work.resolve("healthy")), "the second batch ran after the first failed");
    }
}
