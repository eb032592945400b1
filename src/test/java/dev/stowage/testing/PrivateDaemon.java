package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A dockerd of the test's own: its own data-root, exec-root, pidfile, socket, config file and
 * bridge, under {@code /tmp/stowage-it-*}. Never the host's daemon. Stopped by its own pid; its
 * mounts, directories and bridge are removed on {@link #close}, on JVM exit, and (for runs that
 * were killed) by the next run's {@link #reapStale}.
 */
public final class PrivateDaemon implements DockerCli, AutoCloseable {
    private static final String PREFIX = "stowage-it-";
    private static final Set<PrivateDaemon> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(PrivateDaemon::close)));
    }

    private final Path root;
    private final String driver;
    private final String bridge;
    private Process process;

    private PrivateDaemon(Path root, String driver, String bridge) {
        this.root = root;
        this.driver = driver;
        this.bridge = bridge;
    }

    /** Starts a daemon with the given storage driver and waits until its API answers. */
    public static PrivateDaemon start(String driver) {
        return start(driver, null);
    }

    /** Starts a daemon whose data-root is {@code dataRoot} (null: one under its own temp root). */
    public static PrivateDaemon start(String driver, Path dataRoot) {
        reapStale();
        try {
            Path root = Files.createTempDirectory(Path.of("/tmp"), PREFIX);
            String suffix = root.getFileName().toString().substring(PREFIX.length());
            String bridge = "stw" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
            Files.writeString(root.resolve("bridge"), bridge);
            PrivateDaemon daemon = new PrivateDaemon(root, driver, bridge);
            RUNNING.add(daemon);
            daemon.launch(dataRoot == null ? root.resolve("data") : dataRoot, suffix);
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch(Path dataRoot, String suffix) throws IOException {
        Files.createDirectories(dataRoot);
        Files.createDirectories(root.resolve("exec"));
        Files.writeString(root.resolve("daemon.json"), "{}\n");
        int a = ThreadLocalRandom.current().nextInt(16, 250);
        int b = ThreadLocalRandom.current().nextInt(0, 250);
        Shell.run("ip", "link", "add", bridge, "type", "bridge");
        Shell.run("ip", "addr", "add", "10." + a + "." + b + ".1/24", "dev", bridge);
        Shell.run("ip", "link", "set", bridge, "up");
        List<String> command = List.of("dockerd",
                "--data-root", dataRoot.toString(),
                "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("dockerd.pid").toString(),
                "--host", host(),
                "--config-file", root.resolve("daemon.json").toString(),
                "--bridge", bridge,
                "--iptables=false", "--ip-masq=false", "--ip6tables=false",
                "--storage-driver", driver);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("dockerd.log").toFile())
                .start();
        waitForApi(Duration.ofSeconds(60));
    }

    private void waitForApi(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dockerd exited (" + process.exitValue() + "):\n" + log());
            }
            if (Files.exists(socket()) && docker("version", "--format", "{{.Server.APIVersion}}").exitCode() == 0) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("dockerd did not answer within " + timeout + ":\n" + log());
    }

    @Override
    public String host() {
        return "unix://" + socket();
    }

    public Path socket() {
        return root.resolve("docker.sock");
    }

    public String driver() {
        return driver;
    }

    @Override
    public Path root() {
        return root;
    }

    public String log() {
        try {
            return Files.readString(root.resolve("dockerd.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the daemon by its pid (TERM, then KILL) and removes everything it made. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cleanup(root, bridge);
        RUNNING.remove(this);
    }

    /** Removes the leftovers of daemons whose test run died without cleaning up. */
    public static synchronized void reapStale() {
        try (Stream<Path> dirs = Files.list(Path.of("/tmp"))) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                Optional<Long> pid = readPid(dir.resolve("dockerd.pid"));
                boolean ours = RUNNING.stream().anyMatch(d -> d.root.equals(dir));
                if (!ours && (pid.isEmpty() || ProcessHandle.of(pid.get()).isEmpty())) {
                    String bridge = Files.exists(dir.resolve("bridge")) ? Files.readString(dir.resolve("bridge")) : null;
                    cleanup(dir, bridge);
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

    static void cleanup(Path root, String bridge) {
        Mounts.unmountUnder(root);
        deleteTree(root);
        if (bridge != null && !bridge.isBlank()) {
            Shell.quietly("ip", "link", "del", bridge.trim());
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            Shell.quietly("rm", "-rf", "--one-file-system", root.toString());
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
