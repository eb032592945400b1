package dev.stowage.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private dockerd run the way a host without systemd runs one: its storage driver and data-root
 * live in its own daemon.json (so that {@code stowage storage migrate} can change them), and it is
 * started and stopped by generated scripts ({@code start.sh}: {@code setsid dockerd ... &};
 * {@code stop.sh}: TERM by pidfile, then wait until the process is gone), which the tests hand to
 * stowage as {@code --start-command}/{@code --stop-command}. It has its own bridge, exec-root and
 * socket under {@code /tmp/stowage-cd-*}, and can make loop filesystems there for new data-roots.
 *
 * <p>Everything is removed on {@link #close}, on JVM exit, and by the next run when a JVM died
 * without cleaning up: the daemon and its containerd and shims (by pid: those whose command line
 * names this daemon's directory), every mount below the directory, its loop devices, its bridge and
 * the bridges of its user networks. A directory is stale when no process holds its owner lock.
 * The prefix differs from {@link PrivateDaemon}'s, whose reaper would take a daemon that a test has
 * stopped on purpose for a dead one.
 */
public final class ControlledDaemon implements DockerCli, AutoCloseable {
    private static final String PREFIX = "stowage-cd-";
    private static final Set<ControlledDaemon> LIVE = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(ControlledDaemon::close)));
    }

    private final Path root;
    private final String bridge;
    private final FileChannel ownerChannel;
    private final List<LoopFilesystem> disks = new ArrayList<>();
    private boolean closed;

    private ControlledDaemon(Path root, String bridge, FileChannel ownerChannel) {
        this.root = root;
        this.bridge = bridge;
        this.ownerChannel = ownerChannel;
    }

    /** A daemon with {@code driver} on a data-root under its own directory, started and answering. */
    public static ControlledDaemon start(String driver) {
        ControlledDaemon daemon = prepare(driver);
        try {
            daemon.startAndWait();
            return daemon;
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    /**
     * A daemon set up but not started: its directory, bridge, scripts and daemon.json ({@code
     * storage-driver} {@code driver}, {@code data-root} {@link #defaultDataRoot()}). Change them
     * before {@link #startAndWait}.
     */
    public static ControlledDaemon prepare(String driver) {
        reapStale();
        Path root = null;
        FileChannel owner = null;
        try {
            root = Files.createTempDirectory(Path.of("/tmp"), PREFIX);
            owner = FileChannel.open(root.resolve("owner.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            owner.lock();
            String bridge = "stc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
            Files.writeString(root.resolve("bridge"), bridge);
            ControlledDaemon daemon = new ControlledDaemon(root, bridge, owner);
            LIVE.add(daemon);
            daemon.setUp(driver);
            return daemon;
        } catch (IOException e) {
            if (root != null) { // setUp closes the daemon itself; this is a failure before it existed
                PrivateDaemon.deleteTree(root);
            }
            throw new UncheckedIOException(e);
        }
    }

    private void setUp(String driver) throws IOException {
        try {
            Files.createDirectories(root.resolve("exec"));
            Files.createDirectories(defaultDataRoot());
            int a = ThreadLocalRandom.current().nextInt(16, 250);
            int b = ThreadLocalRandom.current().nextInt(0, 250);
            Shell.run("ip", "link", "add", bridge, "type", "bridge");
            Shell.run("ip", "addr", "add", "10." + a + "." + b + ".1/24", "dev", bridge);
            Shell.run("ip", "link", "set", bridge, "up");
            ObjectNode config = JSON.createObjectNode();
            config.put("storage-driver", driver);
            config.put("data-root", defaultDataRoot().toString());
            writeConfig(config);
            writeStartScript(List.of());
            writeStopScript();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Rewrites start.sh with {@code flags} added to dockerd's (e.g. a {@code --storage-driver} that clashes). */
    public void writeStartScript(List<String> flags) {
        List<String> command = new ArrayList<>(List.of("setsid", "dockerd",
                "--config-file", configFile().toString(),
                "--exec-root", root.resolve("exec").toString(),
                "--pidfile", pidFile().toString(),
                "--host", host(),
                "--bridge", bridge,
                "--iptables=false", "--ip-masq=false", "--ip6tables=false"));
        command.addAll(flags);
        script(startScript(), "# Starts the test's dockerd in the background; its storage settings live in daemon.json.\n"
                + String.join(" ", command) + " >> " + logFile() + " 2>&1 < /dev/null &\n");
    }

    private void writeStopScript() {
        String docker = "DOCKER_HOST=" + host() + " docker";
        script(stopScript(), "# Stops the test's dockerd by its pidfile and waits until the process is gone.\n"
                + "# First it notes the bridges of user networks, which dockerd leaves behind, for the test's cleanup.\n"
                + "ids=$(" + docker + " network ls -q --filter driver=bridge 2>/dev/null)\n"
                + "[ -z \"$ids\" ] || " + docker + " network inspect --format"
                + " '{{.Id}} {{range $k, $v := .Options}}{{if eq $k \"com.docker.network.bridge.name\"}}{{$v}}{{end}}{{end}}'"
                + " $ids 2>/dev/null"
                + " | awk '{ print ($2 != \"\" ? $2 : \"br-\" substr($1, 1, 12)) }' >> " + root.resolve("net-bridges") + "\n"
                + "pid=$(cat " + pidFile() + " 2>/dev/null)\n"
                + "[ -n \"$pid\" ] || exit 0\n"
                + "[ \"$(cat /proc/$pid/comm 2>/dev/null)\" = dockerd ] || exit 0\n"
                + "kill \"$pid\" 2>/dev/null || exit 0\n"
                + "n=0\n"
                + "while [ -d /proc/$pid ] && ! grep -q '^State:[[:space:]]*Z' /proc/$pid/status 2>/dev/null; do\n"
                + "    n=$((n + 1))\n"
                + "    if [ $n -gt 1200 ]; then echo \"dockerd $pid still runs 120 s after TERM\" >&2; exit 1; fi\n"
                + "    sleep 0.1\n"
                + "done\n");
    }

    private static void script(Path file, String body) {
        try {
            Files.writeString(file, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs start.sh and waits until the API answers; fails with the daemon's log when it does not. */
    public void startAndWait() {
        Shell.run("/bin/sh", "-c", startScript().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long noProcessSince = -1;
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return;
            }
            if (ours().stream().noneMatch(p -> p.info().command().orElse("").endsWith("dockerd"))) {
                noProcessSince = noProcessSince < 0 ? System.nanoTime() : noProcessSince;
                if (System.nanoTime() - noProcessSince > Duration.ofSeconds(3).toNanos()) {
                    throw new IllegalStateException("dockerd exited at start:\n" + log());
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("dockerd did not answer within 60 s:\n" + log());
    }

    /** Runs stop.sh: the daemon is gone when it returns. */
    public void stop() {
        Shell.run("/bin/sh", "-c", stopScript().toString());
    }

    public boolean answers() {
        return Files.exists(socket()) && docker("version", "--format", "{{.Server.APIVersion}}").exitCode() == 0;
    }

    /** One field of {@code docker info}, e.g. {@code {{.DockerRootDir}}} or {@code {{.Driver}}}. */
    public String info(String format) {
        return dockerOk("info", "--format", format);
    }

    /** A new loop filesystem, mounted at {@code disks/NAME} under this daemon's directory. */
    public LoopFilesystem disk(String name, String type, int megabytes) {
        LoopFilesystem disk = LoopFilesystem.create(root.resolve("disks/" + name + ".img"),
                root.resolve("disks/" + name), type, megabytes);
        disks.add(disk);
        return disk;
    }

    /** A fresh directory under this daemon's directory, for migration directories and listings. */
    public Path workDir(String name) {
        try {
            return Files.createDirectories(root.resolve("work").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectNode config() {
        try {
            return (ObjectNode) JSON.readTree(configFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeConfig(ObjectNode config) {
        try {
            Files.writeString(configFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String host() {
        return "unix://" + socket();
    }

    @Override
    public Path root() {
        return root;
    }

    public Path socket() {
        return root.resolve("docker.sock");
    }

    public Path defaultDataRoot() {
        return root.resolve("data");
    }

    public Path configFile() {
        return root.resolve("daemon.json");
    }

    public Path startScript() {
        return root.resolve("start.sh");
    }

    public Path stopScript() {
        return root.resolve("stop.sh");
    }

    public Path logFile() {
        return root.resolve("dockerd.log");
    }

    public Path pidFile() {
        return root.resolve("dockerd.pid");
    }

    public String log() {
        try {
            return Files.readString(logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * The options that let stowage drive this daemon: {@code --host}, {@code --config-file}, the
     * start and stop scripts and the log.
     */
    public List<String> controlOptions() {
        return List.of("--host", host(), "--config-file", configFile().toString(),
                "--stop-command", stopScript().toString(), "--start-command", startScript().toString(),
                "--daemon-log", logFile().toString());
    }

    /** Stops the daemon and removes everything it and the test made under its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (answers()) {
                Shell.quietly("/bin/sh", "-c", stopScript().toString());
            }
        } catch (RuntimeException ignored) {
            // the processes are killed below whatever happened
        }
        DaemonLeftovers.remove(root, bridge);
        disks.forEach(LoopFilesystem::close);
        try {
            ownerChannel.close();
        } catch (IOException ignored) {
            // the directory is gone already
        }
        LIVE.remove(this);
    }

    private List<ProcessHandle> ours() {
        return DaemonLeftovers.processesOf(root);
    }

    /** Removes the directories of daemons whose JVM died: those whose owner lock nobody holds. */
    public static synchronized void reapStale() {
        DaemonLeftovers.reapStale(PREFIX, dir -> LIVE.stream().anyMatch(d -> d.root.equals(dir)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
