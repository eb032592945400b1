package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.testing.ControlledDaemon;
import dev.stowage.testing.ImageFixtures;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed of the migration tests, as an operator's host would have it: images sharing layers (one
 * untagged), a web server running with a named volume, a published port and a user network, an
 * exited container whose writable layer has files added, changed and deleted; optionally a 30 MB
 * layer and a 30 MB volume file, so that a kill can land in the middle of one.
 */
final class MigrationScenario {
    static final String PAGE = "served by stowage-test web\n";
    static final int BULK_BYTES = 30_000_000;

    private MigrationScenario() {
    }

    static void seed(ControlledDaemon daemon, boolean bulk) {
        ImageFixtures.small(daemon);
        daemon.dockerOk("network", "create", "--label", "stowage.test=1", "appnet");
        daemon.dockerOk("volume", "create", "--label", "stowage.test=1", "webdata");
        daemon.dockerOk("run", "--rm", "--network", "none", "-v", "webdata:/www", ImageFixtures.BASE,
                "sh", "-c", "printf '" + PAGE.replace("\n", "\\n") + "' > /www/index.html && mkdir /www/sub"
                        + " && ln /www/index.html /www/sub/hardlink && chown -R 123:45 /www/sub");
        // sh traps TERM so that a stop is quick; busybox httpd as PID 1 would ignore it for 10 s
        daemon.dockerOk("run", "-d", "--name", "web", "--network", "appnet", "-p", "127.0.0.1::8080",
                "-v", "webdata:/www", "--label", "role=web", ImageFixtures.BASE,
                "sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait");
        daemon.dockerOk("run", "--name", "job", "--network", "none", "stowage-test/app:1.0", "sh", "-c",
                "echo changed > /marker && mkdir -p /var/job && head -c 200000 /dev/urandom > /var/job/out"
                        + " && rm /bin/vi && ln -s /var/job/out /var/job/link");
        if (bulk) {
            daemon.build("stowage-test/bulk:1", "FROM " + ImageFixtures.BASE + "\nRUN head -c " + BULK_BYTES
                    + " /dev/urandom > /bulk\n");
            daemon.dockerOk("volume", "create", "bulkdata");
            daemon.dockerOk("run", "--name", "bulk-writer", "--network", "none", "-v", "bulkdata:/data",
                    ImageFixtures.BASE, "sh", "-c", "head -c " + BULK_BYTES + " /dev/urandom > /data/bulk");
        }
    }

    /** What must survive a migration, as the docker CLI (not stowage) sees it. */
    static Map<String, String> snapshot(ControlledDaemon daemon) {
        Map<String, String> state = new TreeMap<>();
        daemon.imageTable().forEach((tag, id) -> state.put("image " + tag, id));
        for (String line : lines(daemon.dockerOk("ps", "-a", "--no-trunc", "--format",
                "{{.Names}} {{.Image}} {{.State}} {{.Command}} {{.Labels}} {{.Networks}} {{.Mounts}}"))) {
            // an exited container comes back created: only a start could make it exited, and that would run it
            state.put("container " + line.split(" ")[0], line.replaceFirst(" (exited|created) ", " not-running "));
        }
        for (String line : lines(daemon.dockerOk("volume", "ls", "--format", "{{.Name}} {{.Driver}} {{.Labels}}"))) {
            state.put("volume " + line.split(" ")[0], line);
        }
        for (String line : lines(daemon.dockerOk("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Labels}}"))) {
            String name = line.split(" ")[0];
            state.put("network " + name, line + " " + daemon.dockerOk("network", "inspect", "--format",
                    "{{range .IPAM.Config}}{{.Subnet}}{{end}}", name));
        }
        return state;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    /**
     * The web container's page, fetched through its published port (a new container gets a new
     * one). Each attempt times out: a page that does not come back is a failure, not a hang.
     */
    static String fetchPage(ControlledDaemon daemon) {
        String binding = daemon.dockerOk("port", "web", "8080/tcp").split("\n")[0].trim();
        URI uri = URI.create("http://" + binding + "/index.html");
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                connection.setConnectTimeout(2000);
                connection.setReadTimeout(2000);
                try (InputStream in = connection.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } finally {
                    connection.disconnect();
                }
            } catch (IOException e) {
                last = e; // httpd may still be starting
                sleep(250);
            }
        }
        throw new UncheckedIOException("no answer from " + uri + " (the web container on network appnet)", last);
    }

    /** {@code stowage storage migrate} against {@code daemon} with the test's daemon control. */
    static List<String> migrateArgs(ControlledDaemon daemon, Path dir, String driver, Path dataRoot, String... extra) {
        List<String> args = new ArrayList<>(List.of("storage", "migrate", "--dir", dir.toString(), "--driver", driver,
                "--yes", "--json", "--daemon-timeout", "60"));
        if (dataRoot != null) {
            args.addAll(List.of("--data-root", dataRoot.toString()));
        }
        args.addAll(daemon.controlOptions());
        args.addAll(List.of(extra));
        return args;
    }

    static Run migrate(ControlledDaemon daemon, Path dir, String driver, Path dataRoot, String... extra) {
        return StowageProcess.run(migrateArgs(daemon, dir, driver, dataRoot, extra).toArray(new String[0]));
    }

    /** {@code stowage storage verify}: exit 0 and no difference. */
    static void assertVerified(ControlledDaemon daemon, Path dir) {
        Run verify = StowageProcess.run("storage", "verify", "--host", daemon.host(), "--dir", dir.toString(), "--json");
        assertEquals(0, verify.exitCode(), verify::toString);
        assertEquals(0, verify.summary().path("differences").asInt(), verify::toString);
        assertTrue(verify.summary().path("verified").asBoolean(), verify::toString);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
