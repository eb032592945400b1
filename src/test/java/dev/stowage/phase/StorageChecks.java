package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.testing.ContainerListing;
import dev.stowage.testing.HostFixtures;
import dev.stowage.testing.PrivateDaemon;
import dev.stowage.testing.Shell;
import dev.stowage.testing.StowageProcess;
import dev.stowage.testing.StowageProcess.Run;
import dev.stowage.testing.TreeListing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks shared by the storage ITs: that a target daemon holds what a {@link HostFixtures} source
 * held, judged by the engine, the docker CLI and host tools (stat, getfattr, getfacl, tar), never
 * by Stowage's own code.
 */
final class StorageChecks {
    private StorageChecks() {
    }

    static Run export(PrivateDaemon daemon, Path dir, String... extra) {
        return stowage("export", daemon, dir, extra);
    }

    static Run importInto(PrivateDaemon daemon, Path dir, String... extra) {
        return stowage("import", daemon, dir, extra);
    }

    static Run verify(PrivateDaemon daemon, Path dir) {
        return stowage("verify", daemon, dir);
    }

    private static Run stowage(String command, PrivateDaemon daemon, Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("storage", command, "--host", daemon.host(), "--dir",
                dir.toString(), "--json"));
        args.addAll(List.of(extra));
        return StowageProcess.run(args.toArray(String[]::new));
    }

    static void assertSucceeded(Run run) {
        assertEquals(0, run.exitCode(), run::toString);
    }

    /** The verify run found nothing and said so. */
    static void assertVerified(PrivateDaemon target, Path dir) {
        Run verify = verify(target, dir);
        assertEquals(0, verify.exitCode(), verify::toString);
        assertEquals(0, verify.summary().path("differences").asInt(), verify::toString);
        assertTrue(verify.summary().path("verified").asBoolean(), verify::toString);
    }

    /** Warnings the run printed (one per difference, for verify). */
    static List<String> warnings(Run run) {
        return run.jsonLines().stream().filter(n -> n.path("level").asText().equals("warning"))
                .map(n -> n.path("message").asText()).toList();
    }

    static String status(PrivateDaemon daemon, String container) {
        return daemon.dockerOk("inspect", "-f", "{{.State.Status}}", container);
    }

    /** Running and paused containers are so again; every other one exists and does not run. */
    static void assertSeededStates(PrivateDaemon target) {
        for (Map.Entry<String, String> seeded : HostFixtures.STATES.entrySet()) {
            String status = status(target, seeded.getKey());
            if (seeded.getValue().equals("running") || seeded.getValue().equals("paused")) {
                assertEquals(seeded.getValue(), status, seeded.getKey());
            } else {
                assertTrue(status.equals("created") || status.equals("exited"), seeded.getKey() + " is " + status);
            }
        }
    }

    static void assertNothingRuns(PrivateDaemon target) {
        for (String container : HostFixtures.STATES.keySet()) {
            String status = status(target, container);
            assertTrue(status.equals("created") || status.equals("exited"), container + " is " + status);
        }
    }

    /** GET through the published port, retried while the server comes up. */
    static String httpGet(int port, String path) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        IOException last = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), path);
                return response.body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(250);
            }
        }
        throw new AssertionError("GET " + path + " on port " + port + " failed", last);
    }

    /** Every volume the source has is on the target with the same files, owners, modes, xattrs and ACLs. */
    static void assertVolumesMatch(PrivateDaemon source, PrivateDaemon target) {
        List<String> names = List.of(source.dockerOk("volume", "ls", "-q").split("\n"));
        assertEquals(names.stream().sorted().toList(),
                List.of(target.dockerOk("volume", "ls", "-q").split("\n")).stream().sorted().toList());
        for (String name : names) {
            // labels: null (volumes the engine made itself) and {} both mean none
            assertEquals(source.dockerOk("volume", "inspect", "-f", "{{json .Labels}} {{.Driver}}", name)
                            .replace("null ", "{} "),
                    target.dockerOk("volume", "inspect", "-f", "{{json .Labels}} {{.Driver}}", name)
                            .replace("null ", "{} "), name);
            Path from = HostFixtures.mountpoint(source, name);
            Path to = HostFixtures.mountpoint(target, name);
            assertEquals(TreeListing.of(from), TreeListing.of(to), "volume " + name);
        }
        Path bulk = HostFixtures.mountpoint(target, HostFixtures.BULK);
        // the listing compared everything; these say in plain words what it must have covered
        assertEquals("12345:12345 750", stat(bulk, "%u:%g %a", "."));
        assertEquals("4755 0:0", stat(bulk, "%a %u:%g", "suid-tool"));
        assertEquals("fifo", stat(bulk, "%F", "fifo"));
        assertEquals(stat(bulk, "%i", "hl-a"), stat(bulk, "%i", "hl-b"));
        assertEquals(stat(bulk, "%i", "hl-a"), stat(bulk, "%i", "d005/hl-c"));
        assertEquals("/etc/passwd", stat(bulk, "%N", "abs-symlink").replaceAll(".* -> '(.*)'", "$1"));
        assertEquals("1262401445.123456789", stat(bulk, "%.9Y", "hl-a"));
        long blocks = Long.parseLong(stat(bulk, "%b", "sparse.img"));
        assertTrue(blocks * 512 < 1 << 20, "sparse.img stays sparse: " + blocks + " blocks");
        assertEquals("67108864", stat(bulk, "%s", "sparse.img"));
        assertTrue(host(bulk, "getcap cap-file").contains("cap_net_raw"), "file capability kept");
        assertTrue(host(bulk, "getfattr -n user.comment --only-values xattr-file").contains("hello xattr"));
        String acl = host(bulk, "getfacl -n acl-file");
        assertTrue(acl.contains("user:1001:rwx") && acl.contains("group:2002:r-x"), acl);
        assertTrue(host(bulk, "getfacl -n -d acl-dir").contains("user:1001:rwx"), "default ACL kept");
        assertEquals("12345:12346", stat(bulk, "%u:%g", "d001/f042"));
    }

    /** Each container's filesystem, seen through docker export, is the same on both daemons. */
    static void assertFilesystemsMatch(PrivateDaemon source, PrivateDaemon target) {
        for (String container : HostFixtures.STATES.keySet()) {
            assertEquals(ContainerListing.of(source, container), ContainerListing.of(target, container),
                    "filesystem of " + container);
        }
        String changer = ContainerListing.of(target, HostFixtures.CHANGER);
        assertTrue(changer.contains("-rwsr-xr-x 0/0"), changer);
        assertTrue(changer.contains(" 1234/5678 "), changer);
        assertTrue(changer.contains("added-hardlink.txt link to added.txt")
                || changer.contains("added.txt link to added-hardlink.txt"), changer);
        assertTrue(changer.contains("conf-symlink -> /etc/app/conf"), changer);
        assertTrue(changer.contains("2001-02-03 04:05:06 added.txt"), changer);
        assertTrue(!changer.contains("remove-me") && !changer.contains("olddir") && !changer.contains("opaque/x"),
                "deletions replayed:\n" + changer);
        assertTrue(changer.contains("opaque/new"), changer);
        assertTrue(changer.contains("caf\u00e9-\u65e5") || changer.contains("caf\\303\\251-\\346\\227\\245"),
                "a UTF-8 name:\n" + changer);
        assertTrue(changer.contains("etc/app/keep-hardlink link to etc/app/keep"), "a link to an image file:\n" + changer);
        // xattrs in the layer: the engine's export drops most, so look at the layer directories themselves
        // trusted.overlay.* is the source overlayfs' own bookkeeping, rightly not carried over
        String dump = "getfattr -h -d -m '^(user|security)\\.' -e hex added.txt usr/share/misc/tool";
        assertEquals(host(ContainerListing.layerDir(source, HostFixtures.CHANGER), dump),
                host(ContainerListing.layerDir(target, HostFixtures.CHANGER), dump));
        assertTrue(host(ContainerListing.layerDir(target, HostFixtures.CHANGER), dump).contains("security.capability"));
    }

    /** Port bindings, env, labels, restart policy, binds, hostname, networks: as the engine shows them. */
    static void assertConfigsMatch(PrivateDaemon source, PrivateDaemon target, HostFixtures fixture) {
        String format = "{{json .Config.Env}} {{json .Config.Labels}} {{json .Config.Cmd}} {{.Config.Hostname}}"
                + " {{json .HostConfig.PortBindings}} {{json .HostConfig.RestartPolicy}}"
                + " {{json .HostConfig.Tmpfs}} {{json .Config.Healthcheck}} {{.Config.StopTimeout}} {{.Image}}";
        for (String container : HostFixtures.STATES.keySet()) {
            assertEquals(source.dockerOk("inspect", "-f", format, container),
                    target.dockerOk("inspect", "-f", format, container), "config of " + container);
        }
        for (String container : List.of(HostFixtures.WEB, HostFixtures.FRESH, HostFixtures.NETTED)) {
            for (String part : List.of("{{json .Config}}", "{{json .HostConfig}}")) {
                assertEquals(source.dockerOk("inspect", "-f", part, container),
                        target.dockerOk("inspect", "-f", part, container), part + " of " + container);
            }
        }
        // anonymous volumes are bound by name on the target, so only the web container's binds are compared
        assertEquals(source.dockerOk("inspect", "-f", "{{json .HostConfig.Binds}}", HostFixtures.WEB),
                target.dockerOk("inspect", "-f", "{{json .HostConfig.Binds}}", HostFixtures.WEB));
        assertEquals(fixture.untaggedImage(), target.dockerOk("inspect", "-f", "{{.Image}}", HostFixtures.UNTAGGED_USER));
        assertEquals(HostFixtures.volumeAt(source, HostFixtures.ANON_USER, "/data"),
                HostFixtures.volumeAt(target, HostFixtures.ANON_USER, "/data"), "the anonymous volume keeps its name");
        Path anon = HostFixtures.mountpoint(target, HostFixtures.volumeAt(target, HostFixtures.ANON_USER, "/data"));
        assertEquals("written-by-container", host(anon, "cat runtime").trim());
        String networks = "{{range $n, $e := .NetworkSettings.Networks}}{{$n}}={{$e.IPAddress}}"
                + " {{json $e.IPAMConfig}} {{json $e.Aliases}};{{end}}";
        String attached = target.dockerOk("inspect", "-f", networks, HostFixtures.NETTED);
        assertTrue(attached.contains(HostFixtures.APPNET + "=" + fixture.appnetIp() + " "), attached);
        assertTrue(attached.contains(HostFixtures.BACKNET + "=" + fixture.backnetIp() + " "), attached);
        assertTrue(attached.contains("\"api\"") && attached.contains("\"api.internal\"")
                && attached.contains("\"db-client\""), attached);
        String format2 = "{{.Driver}} {{.Internal}} {{json .Labels}} {{json .IPAM.Config}}";
        for (String network : List.of(HostFixtures.APPNET, HostFixtures.BACKNET)) {
            assertEquals(source.dockerOk("network", "inspect", "-f", format2, network),
                    target.dockerOk("network", "inspect", "-f", format2, network), network);
        }
    }

    /** The alias resolves, through the engine's DNS, to the static IP. */
    static void assertAliasResolves(PrivateDaemon target, HostFixtures fixture) {
        String answer = target.dockerOk("exec", HostFixtures.NETTED, "nslookup", "api", "127.0.0.11");
        assertTrue(answer.contains(fixture.appnetIp()), answer);
    }

    static String stat(Path dir, String format, String path) {
        return host(dir, "stat -c '" + format + "' '" + path + "'").trim();
    }

    static String host(Path dir, String command) {
        return Shell.run("sh", "-c", "cd '" + dir + "' && " + command);
    }
}
