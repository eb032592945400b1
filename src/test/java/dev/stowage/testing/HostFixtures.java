package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small but complete Docker host for migration tests, seeded on a private daemon: containers in
 * every state (running with ports, env, labels, restart policy, a bind mount and two named volumes;
 * exited with a writable layer full of adds, changes, chmods, chowns, links and deletions; created;
 * paused; attached to two user-defined networks with aliases and static IPs; using an untagged
 * image), a volume of a few thousand files with odd owners, setuid, xattrs, ACLs, a sparse file,
 * hardlinks, symlinks and a fifo, and an anonymous volume. One instance per test class: it keeps
 * what it chose (host port, subnets) for the assertions.
 */
public final class HostFixtures {
    public static final String WEB = "web";
    public static final String CHANGER = "changer";
    public static final String FRESH = "fresh";
    public static final String PAUSED = "paused";
    public static final String NETTED = "netted";
    public static final String ANON_USER = "anon-user";
    public static final String UNTAGGED_USER = "untagged-user";
    public static final String WEB_DATA = "web-data";
    public static final String WEB_LOGS = "web-logs";
    public static final String BULK = "bulk";
    public static final String APPNET = "appnet";
    public static final String BACKNET = "backnet";
    public static final String WEB_PAGE = "hello from the web image\n";
    public static final String VOLUME_PAGE = "hello from the web-data volume\n";
    /** Files in the bulk volume's numbered directories. */
    public static final int BULK_FILES = 3000;

    /** What each container's state is once seeded: "running", "paused", "exited" or "created". */
    public static final Map<String, String> STATES = states();

    private final long bulkBlobBytes;
    private int webPort;
    private String appPrefix;
    private String backPrefix;
    private String untaggedImage;
    private Path bindDir;

    /** @param bulkBlobBytes bytes of random data added to the bulk volume (0: none), to make its export take time */
    public HostFixtures(long bulkBlobBytes) {
        this.bulkBlobBytes = bulkBlobBytes;
    }

    public HostFixtures() {
        this(0);
    }

    private static Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put(WEB, "running");
        states.put(CHANGER, "exited");
        states.put(FRESH, "created");
        states.put(PAUSED, "paused");
        states.put(NETTED, "running");
        states.put(ANON_USER, "exited");
        states.put(UNTAGGED_USER, "created");
        return Map.copyOf(states);
    }

    /** The 127.0.0.1 port the web container publishes 8080 on. */
    public int webPort() {
        return webPort;
    }

    /** The static IPv4 address of {@link #NETTED} on {@link #APPNET}. */
    public String appnetIp() {
        return appPrefix + ".200";
    }

    /** The static IPv4 address of {@link #NETTED} on {@link #BACKNET}. */
    public String backnetIp() {
        return backPrefix + ".20";
    }

    public String appnetSubnet() {
        return appPrefix + ".0/24";
    }

    public String untaggedImage() {
        return untaggedImage;
    }

    public Path bindDir() {
        return bindDir;
    }

    /** Seeds {@code daemon}; for {@link DockerdExtension#of}. */
    public void seed(PrivateDaemon daemon) {
        try {
            images(daemon);
            webPort = freePort();
            int a = ThreadLocalRandom.current().nextInt(20, 32); // not 172.17-19, the engine's defaults
            int b = ThreadLocalRandom.current().nextInt(0, 250);
            appPrefix = "172." + a + "." + b;
            backPrefix = "172." + a + "." + (b + 1);
            networks(daemon);
            volumes(daemon);
            containers(daemon);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void images(PrivateDaemon daemon) {
        ImageFixtures.base(daemon);
        daemon.build("stowage-test/web:1", "FROM " + ImageFixtures.BASE + "\n"
                + "RUN mkdir -p /www && printf '" + WEB_PAGE.replace("\n", "\\n") + "' > /www/index.html\n"
                + "EXPOSE 8080\nCMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        // files for the changer container to change, chmod, chown, link and delete
        daemon.build("stowage-test/layered:1", "FROM " + ImageFixtures.BASE + "\n"
                + "RUN mkdir -p /etc/app /opt/olddir/sub /opt/opaque /usr/share/misc"
                + " && echo v1 > /etc/app/conf && echo bye > /etc/app/remove-me && echo keep > /etc/app/keep"
                + " && echo a > /opt/olddir/a && echo b > /opt/olddir/sub/b && echo x > /opt/opaque/x"
                + " && echo y > /opt/opaque/y && echo m > /usr/share/misc/chmod-me && echo o > /usr/share/misc/chown-me"
                + " && printf '#!/bin/sh\\necho tool\\n' > /usr/share/misc/tool && chmod 755 /usr/share/misc/tool\n");
        daemon.build("stowage-test/anon:1", "FROM " + ImageFixtures.BASE + "\n"
                + "RUN mkdir /data && echo from-image > /data/from-image\nVOLUME /data\n");
        untaggedImage = daemon.build(null, "FROM " + ImageFixtures.BASE + "\nRUN echo untagged > /marker\n");
    }

    private void networks(PrivateDaemon daemon) {
        daemon.dockerOk("network", "create", "--driver", "bridge", "--subnet", appPrefix + ".0/24",
                "--gateway", appPrefix + ".1", "--ip-range", appPrefix + ".128/25",
                "--label", "purpose=app", "--label", "tier=mid", APPNET);
        daemon.dockerOk("network", "create", "--internal", "--subnet", backPrefix + ".0/24",
                "--label", "purpose=backend", BACKNET);
    }

    private void volumes(PrivateDaemon daemon) throws IOException {
        daemon.dockerOk("volume", "create", "--label", "purpose=web", WEB_DATA);
        daemon.dockerOk("volume", "create", "--label", "purpose=logs", WEB_LOGS);
        daemon.dockerOk("volume", "create", "--label", "purpose=bulk", "--label", "owner=ops", BULK);
        Path data = mountpoint(daemon, WEB_DATA);
        Files.writeString(data.resolve("page.html"), VOLUME_PAGE);
        Shell.run("chown", "33:33", data.resolve("page.html").toString());
        Files.writeString(mountpoint(daemon, WEB_LOGS).resolve("access.log"), "127.0.0.1 GET /\n");
        bulk(mountpoint(daemon, BULK));
        bindDir = Files.createDirectories(daemon.root().resolve("bind"));
        Files.writeString(bindDir.resolve("bound.txt"), "from the host\n");
    }

    /** Thousands of small files and every kind of metadata, made from the host at the mountpoint, as root. */
    private void bulk(Path root) throws IOException {
        for (int d = 0; d < BULK_FILES / 100; d++) {
            Path dir = Files.createDirectory(root.resolve(String.format("d%03d", d)));
            for (int f = 0; f < 100; f++) {
                Files.writeString(dir.resolve(String.format("f%03d", f)), "file " + d + "/" + f + "\n");
            }
        }
        String r = root.toString();
        // odd owners, modes and names; mtimes with nanoseconds; special files
        sh("cd '" + r + "' && chown -R 12345:12346 d001 d002 && chown 12345:12345 . && chmod 0750 ."
                + " && chmod 0600 d003/* && chmod 2775 d004"
                + " && printf '#!/bin/sh\\necho suid\\n' > suid-tool && chmod 4755 suid-tool"
                + " && printf 'caps\\n' > cap-file && setcap cap_net_raw+ep cap-file"
                + " && printf 'xattr\\n' > xattr-file && setfattr -n user.comment -v 'hello xattr' xattr-file"
                + " && setfattr -n user.binary -v 0x00ff10 xattr-file"
                + " && printf 'acl\\n' > acl-file && setfacl -m u:1001:rwx,g:2002:r-x acl-file"
                + " && mkdir acl-dir && setfacl -d -m u:1001:rwx acl-dir && setfacl -m u:1002:r-x acl-dir"
                + " && printf 'inherits\\n' > acl-dir/child"
                + " && truncate -s 64M sparse.img && printf 'middle' | dd of=sparse.img bs=1 seek=33554432"
                + " conv=notrunc status=none && printf 'tail' | dd of=sparse.img bs=1 seek=67108000 conv=notrunc status=none"
                + " && printf 'linked\\n' > hl-a && ln hl-a hl-b && ln hl-a d005/hl-c"
                + " && ln -s /etc/passwd abs-symlink && ln -s d000/f000 rel-symlink && ln -s ../../outside dangling"
                + " && mkfifo fifo && chown 12345:0 fifo"
                + " && printf 'latin1\\n' > \"$(printf 'caf\\351')\""
                + " && touch -h -d '2010-01-02 03:04:05.123456789' hl-a abs-symlink");
        if (bulkBlobBytes > 0) {
            sh("head -c " + bulkBlobBytes + " /dev/urandom > '" + r + "/blob.bin'");
        }
    }

    private void containers(PrivateDaemon daemon) {
        daemon.dockerOk("run", "-d", "--name", WEB, "-p", "127.0.0.1:" + webPort + ":8080",
                "-e", "GREETING=hello", "-e", "MODE=production", "-l", "tier=front", "-l", "app.owner=team-a",
                "--restart", "unless-stopped", "--hostname", "webhost", "--stop-timeout", "1",
                "--tmpfs", "/run:size=1m", "--health-cmd", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1",
                "--health-interval", "30s",
                "-v", bindDir + ":/bind:ro", "-v", WEB_DATA + ":/www/data", "-v", WEB_LOGS + ":/logs",
                "stowage-test/web:1");
        daemon.dockerOk("run", "--name", CHANGER, "--stop-timeout", "1", "stowage-test/layered:1", "sh", "-c",
                String.join(" && ",
                        "echo added > /added.txt", "mkdir -p /newdir/sub", "echo deep > /newdir/sub/file",
                        // a UTF-8 name (octal escapes: argv may not be UTF-8 under a POSIX locale)
                        "echo utf8 > \"$(printf '/caf\\303\\251-\\346\\227\\245')\"",
                        "echo v2 >> /etc/app/conf", "chmod 4755 /usr/share/misc/tool",
                        "chmod 0600 /usr/share/misc/chmod-me", "chown 1234:5678 /usr/share/misc/chown-me",
                        "ln /added.txt /added-hardlink.txt", "ln /etc/app/keep /etc/app/keep-hardlink",
                        "ln -s /etc/app/conf /conf-symlink", "ln -s ../nowhere /dangling-symlink",
                        "rm /etc/app/remove-me", "rm -r /opt/olddir",
                        "rm -r /opt/opaque", "mkdir /opt/opaque", "echo fresh > /opt/opaque/new",
                        "mkfifo /layer-fifo", "touch -d '2001-02-03 04:05:06' /added.txt",
                        "dd if=/dev/zero of=/sparse-in-layer bs=1 count=0 seek=8388608 status=none",
                        "printf end >> /sparse-in-layer"));
        // xattrs in the layer, set from the host on the stopped container's upper directory
        Path upper = Path.of(daemon.dockerOk("inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", CHANGER));
        sh("setfattr -n user.origin -v layer '" + upper.resolve("added.txt") + "'"
                + " && setcap cap_net_bind_service+ep '" + upper.resolve("usr/share/misc/tool") + "'");
        // never started: settings that need no particular kernel support at create time
        daemon.dockerOk("create", "--name", FRESH, "-e", "ROLE=standby", "-l", "tier=spare", "--stop-timeout", "1",
                "--stop-signal", "SIGINT", "--user", "1000:1000", "--workdir", "/www", "--entrypoint", "/bin/httpd",
                "--cap-add", "NET_ADMIN", "--cap-drop", "MKNOD", "--security-opt", "no-new-privileges",
                "--log-driver", "json-file", "--log-opt", "max-size=1m", "--ulimit", "nofile=1024:2048",
                "--cpu-shares", "512", "--memory", "64m", "--device", "/dev/null:/dev/xnull:r",
                "--add-host", "db.example:10.0.0.5", "--dns", "10.0.0.53", "--shm-size", "8m",
                "--tmpfs", "/scratch:size=2m,mode=1777", "--read-only",
                "stowage-test/web:1", "-f", "-p", "9090");
        daemon.dockerOk("run", "-d", "--name", PAUSED, "--stop-timeout", "1", ImageFixtures.BASE, "sleep", "100000");
        daemon.dockerOk("pause", PAUSED);
        daemon.dockerOk("run", "-d", "--name", NETTED, "--network", APPNET, "--ip", appnetIp(),
                "--network-alias", "api", "--network-alias", "api.internal", "--stop-timeout", "1",
                ImageFixtures.BASE, "sleep", "100000");
        daemon.dockerOk("network", "connect", "--alias", "db-client", "--ip", backnetIp(), BACKNET, NETTED);
        daemon.dockerOk("run", "--name", ANON_USER, "stowage-test/anon:1", "sh", "-c",
                "echo written-by-container > /data/runtime && mkdir /data/sub && echo y > /data/sub/y");
        daemon.dockerOk("create", "--name", UNTAGGED_USER, untaggedImage, "cat", "/marker");
        for (Map.Entry<String, String> state : STATES.entrySet()) {
            String actual = daemon.dockerOk("inspect", "-f", "{{.State.Status}}", state.getKey());
            if (!actual.equals(state.getValue())) {
                throw new IllegalStateException("seeded " + state.getKey() + " is " + actual + ", not " + state.getValue());
            }
        }
    }

    /** Puts the seeded containers back in their seeded states (an export stops the running ones). */
    public static void restoreStates(PrivateDaemon daemon) {
        for (String name : List.of(WEB, NETTED, PAUSED)) {
            String status = daemon.dockerOk("inspect", "-f", "{{.State.Status}}", name);
            if (!status.equals("running") && !status.equals("paused")) {
                daemon.dockerOk("start", name);
            }
        }
        if (!daemon.dockerOk("inspect", "-f", "{{.State.Status}}", PAUSED).equals("paused")) {
            daemon.dockerOk("pause", PAUSED);
        }
    }

    /** The host directory of a volume. */
    public static Path mountpoint(PrivateDaemon daemon, String volume) {
        return Path.of(daemon.dockerOk("volume", "inspect", "-f", "{{.Mountpoint}}", volume));
    }

    /** The name of the anonymous volume a container mounts at {@code destination}. */
    public static String volumeAt(PrivateDaemon daemon, String container, String destination) {
        return daemon.dockerOk("inspect", "-f", "{{range .Mounts}}{{if eq .Destination \"" + destination
                + "\"}}{{.Name}}{{end}}{{end}}", container);
    }

    private static void sh(String script) {
        Shell.run("sh", "-c", script);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
