package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A dockerd run the way a host without systemd runs it, for tests of {@code storage migrate}: its
 * storage settings live only in its own daemon.json (which a migration rewrites), and it is started
 * and stopped by scripts ({@code start.sh}: {@code setsid dockerd --config-file ... &};
 * {@code stop.sh}: TERM by pidfile, then KILL) that stowage's {@code --start-command} and
 * {@code --stop-command} drive, like bench/lib/host.sh. Everything lives under
 * {@code /tmp/stowage-host-it-*}, with its own socket, exec-root and bridge.
 *
 * <p>{@link #close} stops it and removes its mounts, directories, bridge and the {@code br-*}
 * bridges of the networks it made (found by their subnets, which come from {@link #subnet}, so
 * that they are found even when the daemon is down), on test failure and on JVM exit too. The
 * prefix differs from {@link PrivateDaemon}'s on purpose: this daemon is legitimately down in the
 * middle of a migration, and PrivateDaemon's reaper must not take that for a dead test run.
 */
public final class ScriptedDaemon implements AutoCloseable {
    private static final String PREFIX = "stowage-host-it-";
    private static final Duration STALE = Duration.ofHours(3);
    private static final Set<ScriptedDaemon> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ScriptedDaemon::close)));
    }

    private final Path root;
    private final String bridge;
    private final List<String> subnets = new ArrayList<>();
    private boolean closed;

    private ScriptedDaemon(Path root, String bridge) {
        this.root = root;
        this.bridge = bridge;
    }

    /** Writes daemon.json ({@code driver} on {@code <root>/data}), the scripts, and starts it. */
    public static ScriptedDaemon start(String driver) {
        reapStale();
        try {
            Path root = Files.createTempDirectory(Path.of("/tmp"), PREFIX);
            String bridge = "sth" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
            Files.writeString(root.resolve("bridge"), bridge);
            ScriptedDaemon daemon = new ScriptedDaemon(root, bridge);
            RUNNING.add(daemon);
            try {
                daemon.setUp(driver);
            } catch (RuntimeException | IOException e) {
                daemon.close();
                throw e;
            }
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void setUp(String driver) throws IOException {
        Files.createDirectories(root.resolve("exec"));
        Files.writeString(configFile(), "{\n  \"storage-driver\": \"" + driver + "\",\n  \"data-root\": \""
                + root.resolve("data") + "\",\n  \"log-level\": \"info\"\n}\n");
        Shell.run("ip", "link", "add", bridge, "type", "bridge");
        Shell.run("ip", "addr", "add", subnet().replace(".0/24", ".1/24"), "dev", bridge);
        Shell.run("ip", "link", "set", bridge, "up");
        script(startScript(), "setsid dockerd --config-file " + configFile() + " --exec-root " + root.resolve("exec")
                + " --pidfile " + pidfile() + " --host " + host() + " --bridge " + bridge
                + " --iptables=false --ip-masq=false --ip6tables=false >>" + log() + " 2>&1 </dev/null &\n");
        script(stopScript(), "[ -f " + pidfile() + " ] || exit 0\n"
                + "pid=$(cat " + pidfile() + ")\n"
                + "kill $pid 2>/dev/null || exit 0\n"
                + "for i in $(seq 1 300); do kill -0 $pid 2>/dev/null || exit 0; sleep 0.2; done\n"
                + "kill -9 $pid\n");
        Shell.run(startScript().toString());
        awaitApi(Duration.ofSeconds(90));
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void awaitApi(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("dockerd did not answer within " + timeout + ":\n" + logText());
    }

    /** A fresh /24 for the daemon's bridge or a user-defined network, remembered for the cleanup. */
    public synchronized String subnet() {
        String subnet = "10." + ThreadLocalRandom.current().nextInt(16, 250) + "."
                + ThreadLocalRandom.current().nextInt(0, 250) + ".0/24";
        subnets.add(subnet);
        try {
            Files.write(root.resolve("subnets"), subnets, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return subnet;
    }

    public String host() {
        return "unix://" + root.resolve("docker.sock");
    }

    public Path root() {
        return root;
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

    public Path log() {
        return root.resolve("dockerd.log");
    }

    private Path pidfile() {
        return root.resolve("dockerd.pid");
    }

    public String logText() {
        try {
            return Files.readString(log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public boolean answers() {
        return Files.exists(root.resolve("docker.sock")) && docker("version", "--format", "{{.Server.APIVersion}}")
                .exitCode() == 0;
    }

    /** The storage driver and data-root the daemon runs with now, e.g. {@code vfs /tmp/.../new-root}. */
    public String storage() {
        return dockerOk("info", "--format", "{{.Driver}} {{.DockerRootDir}}");
    }

    public Shell.Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return Shell.run(Map.of("DOCKER_HOST", host(), "DOCKER_BUILDKIT", "0"), command, null, 300);
    }

    public String dockerOk(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return docker(args).requireSuccess(command).stdout().trim();
    }

    /**
     * A small workload of each kind: the busybox base image and one derived image, a user-defined
     * network, a volume with a file, a running container using both, and an exited one with a
     * change in its writable layer.
     */
    public void seed() {
        dockerOk("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV PATH=/bin", ImageFixtures.busyboxRootfs().toString(),
                ImageFixtures.BASE);
        try {
            Path dockerfile = Files.writeString(root.resolve("Dockerfile"), "FROM " + ImageFixtures.BASE
                    + "\nRUN echo app > /marker\n");
            List<String> build = List.of("docker", "build", "--network", "none", "-q", "-t", "stowage-test/app:1", "-");
            Shell.run(Map.of("DOCKER_HOST", host(), "DOCKER_BUILDKIT", "0"), build, dockerfile, 300).requireSuccess(build);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dockerOk("network", "create", "--subnet", subnet(), "stowage-net");
        dockerOk("volume", "create", "stowage-data");
        dockerOk("run", "-d", "--name", "web", "--network", "stowage-net", "-v", "stowage-data:/data",
                "stowage-test/app:1", "sh", "-c", "echo hello > /data/hello; exec sleep 100000");
        dockerOk("run", "--name", "job", ImageFixtures.BASE, "sh", "-c", "echo done > /result");
    }

    /** Stops the daemon by its script (and by its pid if that fails) and removes all it made. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Set<String> bridges = new LinkedHashSet<>();
        if (answers()) {
            // dockerd leaves the bridges of user-defined networks behind when it stops
            for (String id : docker("network", "ls", "-q", "--no-trunc", "--filter", "driver=bridge").stdout().split("\n")) {
                if (id.strip().length() >= 12) {
                    bridges.add("br-" + id.strip().substring(0, 12));
                }
            }
        }
        Shell.quietly(stopScript().toString());
        readPid(pidfile()).flatMap(ProcessHandle::of).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
        bridges.addAll(bridgesOf(subnets));
        bridges.forEach(b -> Shell.quietly("ip", "link", "del", b));
        PrivateDaemon.cleanup(root, bridge);
        RUNNING.remove(this);
    }

    /** The {@code br-*} bridges that carry an address in one of {@code subnets}. */
    private static Set<String> bridgesOf(List<String> subnets) {
        Set<String> found = new LinkedHashSet<>();
        Shell.Result addresses = Shell.run(Map.of(), List.of("ip", "-o", "-4", "addr", "show"), null, 60);
        for (String line : addresses.stdout().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 4 || !fields[1].startsWith("br-")) {
                continue;
            }
            for (String subnet : subnets) {
                if (fields[3].startsWith(subnet.substring(0, subnet.lastIndexOf('.') + 1))) {
                    found.add(fields[1]);
                }
            }
        }
        return found;
    }

    /** Removes what killed test runs left: roots older than a few hours whose daemon is gone. */
    static synchronized void reapStale() {
        try (Stream<Path> dirs = Files.list(Path.of("/tmp"))) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                boolean alive = readPid(dir.resolve("dockerd.pid")).flatMap(ProcessHandle::of).isPresent();
                FileTime modified = Files.getLastModifiedTime(dir);
                if (!alive && modified.toInstant().isBefore(Instant.now().minus(STALE))
                        && RUNNING.stream().noneMatch(d -> d.root.equals(dir))) {
                    List<String> subnets = Files.exists(dir.resolve("subnets"))
                            ? Files.readAllLines(dir.resolve("subnets")) : List.of();
                    bridgesOf(subnets).forEach(b -> Shell.quietly("ip", "link", "del", b));
                    String bridge = Files.exists(dir.resolve("bridge")) ? Files.readString(dir.resolve("bridge")) : null;
                    PrivateDaemon.cleanup(dir, bridge);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Long> readPid(Path pidfile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidfile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
