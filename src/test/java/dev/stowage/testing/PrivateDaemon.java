package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    /** Longer than any daemon takes to write its pidfile. */
    private static final Duration STARTUP = Duration.ofMinutes(5);

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
        return start(driver, dataRoot, null, true);
    }

    /**
     * Starts a daemon that reads {@code configFile}, given the storage flags only for the non-null
     * arguments, so that the file can set them instead (as on a host configured by daemon.json).
     * Without {@code dataRootFlag} the file must set "data-root": the default is the host's own
     * /var/lib/docker. A daemon that does not come up is cleaned up before the exception.
     */
    public static PrivateDaemon startWithConfig(Path configFile, String driverFlag, Path dataRootFlag) {
        try {
            if (dataRootFlag == null && !Files.readString(configFile).contains("\"data-root\"")) {
                throw new IllegalArgumentException(configFile + " sets no data-root: the daemon would use the host's");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(driverFlag, dataRootFlag, configFile, false);
    }

    private static PrivateDaemon start(String driver, Path dataRoot, Path configFile, boolean ownDataRoot) {
        reapStale();
        PrivateDaemon daemon = null;
        try {
            Path root = Files.createTempDirectory(Path.of("/tmp"), PREFIX);
            String suffix = root.getFileName().toString().substring(PREFIX.length());
            String bridge = "stw" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
            Files.writeString(root.resolve("bridge"), bridge);
            daemon = new PrivateDaemon(root, driver, bridge);
            RUNNING.add(daemon);
            daemon.launch(dataRoot == null && ownDataRoot ? root.resolve("data") : dataRoot, configFile, suffix);
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (daemon != null && configFile != null) {
                daemon.close();
            }
            throw e;
        }
    }

    private void launch(Path dataRoot, Path configFile, String suffix) throws IOException {
        if (dataRoot != null) {
            Files.createDirectories(dataRoot);
        }
        Files.createDirectories(root.resolve("exec"));
        Path config = configFile != null ? configFile : root.resolve("daemon.json");
        if (configFile == null) {
            Files.writeString(config, "{}\n");
        }
        int a = ThreadLocalRandom.current().nextInt(16, 250);
        int b = ThreadLocalRandom.current().nextInt(0, 250);
        Shell.run("ip", "link", "add", bridge, "type", "bridge");
        Shell.run("ip", "addr", "add", "10." + a + "." + b + ".1/24", "dev", bridge);
        Shell.run("ip", "link", "set", bridge, "up");
        List<String> command = new ArrayList<>(List.of("dockerd",
                "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("dockerd.pid").toString(),
                "--host", host(),
                "--config-file", config.toString(),
                "--bridge", bridge,
                "--iptables=false", "--ip-masq=false", "--ip6tables=false"));
        if (dataRoot != null) {
            command.addAll(List.of("--data-root", dataRoot.toString()));
        }
        if (driver != null) {
            command.addAll(List.of("--storage-driver", driver));
        }
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
        List<String> networkBridges = List.of();
        if (process != null && process.isAlive()) {
            networkBridges = networkBridges();
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
        networkBridges.forEach(name -> Shell.quietly("ip", "link", "del", name));
        RUNNING.remove(this);
    }

    /**
     * The host bridges of the daemon's user-defined bridge networks: dockerd keeps them when it
     * stops (they are meant to outlive a restart), so they would pile up on the host.
     */
    private List<String> networkBridges() {
        try {
            Shell.Result ids = docker("network", "ls", "-q", "--no-trunc", "--filter", "driver=bridge");
            List<String> args = new ArrayList<>(List.of("network", "inspect", "-f",
                    "{{.Name}} {{.Id}} {{index .Options \"com.docker.network.bridge.name\"}}"));
            args.addAll(List.of(ids.stdout().trim().split("\\s+")));
            Shell.Result networks = ids.exitCode() == 0 && !ids.stdout().isBlank() ? docker(args.toArray(String[]::new))
                    : new Shell.Result(1, "", "");
            List<String> names = new ArrayList<>();
            for (String line : networks.exitCode() == 0 ? networks.stdout().split("\n") : new String[0]) {
                String[] f = line.trim().split(" ");
                if (f.length >= 2 && !f[0].equals("bridge")) {
                    // a network without the option prints "<no value>": its bridge has the engine's default name
                    names.add(f.length >= 3 && !f[2].isBlank() && !f[2].startsWith("<") ? f[2]
                            : "br-" + f[1].substring(0, 12));
                }
            }
            return names;
        } catch (RuntimeException e) {
            return List.of(); // the daemon is going away anyway
        }
    }

    /**
     * Removes the leftovers of daemons whose test run died without cleaning up. Only daemon roots
     * (marked by their bridge file) count, not other test directories that share the prefix; and a
     * root without a pidfile only once it is old, because another test JVM may be starting that
     * daemon right now.
     */
    public static synchronized void reapStale() {
        try (Stream<Path> dirs = Files.list(Path.of("/tmp"))) {
            for (Path dir : dirs.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                Path marker = dir.resolve("bridge");
                boolean ours = RUNNING.stream().anyMatch(d -> d.root.equals(dir));
                if (ours || !Files.exists(marker)) {
                    continue;
                }
                try {
                    Optional<Long> pid = readPid(dir.resolve("dockerd.pid"));
                    boolean dead = pid.isPresent() ? ProcessHandle.of(pid.get()).isEmpty()
                            : Files.getLastModifiedTime(marker).toInstant().isBefore(java.time.Instant.now().minus(STARTUP));
                    if (dead) {
                        cleanup(dir, Files.readString(marker));
                    }
                } catch (IOException e) {
                    // another run is reaping it at the same time
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
        } catch (IOException | UncheckedIOException e) {
            // the walk throws UncheckedIOException when another run reaps the same tree meanwhile
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
