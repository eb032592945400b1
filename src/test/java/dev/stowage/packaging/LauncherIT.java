package dev.stowage.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.testing.Shell;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher script as an operator meets it: which java it runs, where JVM output goes, how
 * STOWAGE_JAVA_OPTS reaches the JVM, and the class-data archive it records and reuses. Each test
 * runs a private copy of target/stowage and target/stowage.jar, so that it can change the jar.
 */
class LauncherIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    Path work;
    Path launcher;
    Path jar;

    @BeforeEach
    void copyLauncherAndJar() throws IOException {
        work = Files.createTempDirectory("stowage-it-launcher");
        Files.createDirectories(work.resolve("bin"));
        launcher = Files.copy(Path.of("target", "stowage"), work.resolve("bin/stowage"), StandardCopyOption.COPY_ATTRIBUTES);
        jar = Files.copy(Path.of("target", "stowage.jar"), work.resolve("bin/stowage.jar"));
    }

    @AfterEach
    void clean() {
        Shell.quietly("rm", "-rf", work.toString());
    }

    /** Runs the launcher with exactly these STOWAGE_* and JAVA_HOME settings, whatever the caller's environment. */
    Shell.Result run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "-u", "STOWAGE_JAR", "-u", "STOWAGE_CDS",
                "-u", "STOWAGE_CDS_DIR", "-u", "STOWAGE_JAVA_OPTS", "-u", "JAVA_HOME"));
        new TreeMap<>(env).forEach((key, value) -> command.add(key + "=" + value));
        command.add(launcher.toString());
        command.addAll(List.of(args));
        return Shell.run(Map.of(), command, null, 120);
    }

    /** A command that loads the real classes and ends fast: export against a socket that is not there. */
    String[] unreachableExport() {
        return new String[] {"--json", "storage", "export", "--host", "unix://" + work.resolve("none.sock"),
            "--dir", work.resolve("migrate").toString()};
    }

    static void assertOnlyJsonLines(String stdout) throws IOException {
        assertFalse(stdout.isBlank(), "no output");
        for (String line : stdout.split("\n")) {
            assertTrue(JSON.readTree(line).has("message_type"), "not a JSON line on stdout: " + line);
        }
    }

    @Test
    void jvmWarningsGoToStderrAndJsonOutputStaysClean() throws IOException {
        Shell.Result result = run(Map.of("STOWAGE_JAVA_OPTS", "-XX:+UseBiasedLocking", "STOWAGE_CDS", "0"),
                unreachableExport());
        assertEquals(5, result.exitCode(), result::toString);
        assertOnlyJsonLines(result.stdout());
        assertTrue(result.stderr().contains("UseBiasedLocking"), result.stderr());
    }

    @Test
    void aJvmThatCannotStartSaysSoOnStderrOnly() {
        Shell.Result result = run(Map.of("STOWAGE_JAVA_OPTS", "-Xmx1k", "STOWAGE_CDS", "0"), "--version");
        assertNotEquals(0, result.exitCode());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().contains("Too small maximum heap"), result.stderr());
    }

    @Test
    void javaOptionsReachTheJvmForNoexecTmpHosts() {
        Shell.Result result = run(Map.of("STOWAGE_CDS", "0", "STOWAGE_JAVA_OPTS",
                "-XshowSettings:properties -Djava.io.tmpdir=/var/tmp -Djna.tmpdir=/var/tmp/stowage-jna"), "--version");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stdout().startsWith("stowage "), result.stdout());
        assertTrue(result.stderr().contains("java.io.tmpdir = /var/tmp\n"), result.stderr());
        assertTrue(result.stderr().contains("jna.tmpdir = /var/tmp/stowage-jna\n"), result.stderr());
    }

    @Test
    void javaHomeIsHonouredAndABrokenOneIsNamed() throws IOException {
        Path home = work.resolve("jdk");
        Path marker = work.resolve("java-was-run");
        Files.createDirectories(home.resolve("bin"));
        String realJava = ProcessHandle.current().info().command().orElseThrow();
        Path java = Files.writeString(home.resolve("bin/java"),
                "#!/bin/sh\ntouch '" + marker + "'\nexec '" + realJava + "' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));

        Shell.Result result = run(Map.of("JAVA_HOME", home.toString(), "STOWAGE_CDS", "0"), "--version");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(Files.exists(marker), "the launcher did not run $JAVA_HOME/bin/java");

        Shell.Result broken = run(Map.of("JAVA_HOME", work.resolve("no-jdk").toString()), "--version");
        assertEquals(1, broken.exitCode(), broken::toString);
        assertTrue(broken.stderr().contains("JAVA_HOME is " + work.resolve("no-jdk")), broken.stderr());
        assertEquals("", broken.stdout());
    }

    static List<Path> files(Path cache) {
        try (Stream<Path> files = Files.list(cache)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Path> archives(Path cache) {
        return files(cache).stream().filter(f -> f.getFileName().toString().matches("stowage-\\d+-\\d+\\.jsa")).toList();
    }

    static List<Path> recordings(Path cache) {
        return files(cache).stream().filter(f -> f.getFileName().toString().matches("\\.stowage-\\d+-\\d+\\.jsa\\.\\d+"))
                .toList();
    }

    /** The shell trace of one launcher run: shows the java command line it exec'd. */
    Shell.Result traced(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "-u", "STOWAGE_CDS", "-u", "STOWAGE_JAVA_OPTS"));
        new TreeMap<>(env).forEach((key, value) -> command.add(key + "=" + value));
        command.addAll(List.of("sh", "-x", launcher.toString()));
        command.addAll(List.of(args));
        return Shell.run(Map.of(), command);
    }

    @Test
    void aRealCommandRecordsAnArchiveTheNextRunInstallsAndUses() throws IOException {
        Path cache = Files.createDirectories(work.resolve("cache"));
        Map<String, String> env = Map.of("STOWAGE_CDS_DIR", cache.toString());

        assertEquals(0, run(env, "--help").exitCode());
        assertEquals(List.of(), files(cache), "--help must not record an archive");

        Shell.Result first = run(env, unreachableExport());
        assertEquals(5, first.exitCode(), first::toString);
        assertOnlyJsonLines(first.stdout());
        assertEquals("", first.stderr(), "recording an archive must not talk");
        assertEquals(1, recordings(cache).size(), () -> "no recording in " + files(cache));
        assertEquals(List.of(), archives(cache));

        Shell.Result second = traced(env, unreachableExport());
        assertEquals(5, second.exitCode(), second::toString);
        List<Path> installed = archives(cache);
        assertEquals(1, installed.size(), () -> "not installed: " + files(cache));
        assertEquals(installed, files(cache), "the recording was renamed, not copied");
        assertTrue(second.stderr().contains("-XX:SharedArchiveFile=" + installed.get(0)), second.stderr());

        Shell.Result off = traced(Map.of("STOWAGE_CDS_DIR", cache.toString(), "STOWAGE_CDS", "0"), "--version");
        assertFalse(off.stderr().contains("SharedArchiveFile"), "STOWAGE_CDS=0 still uses it: " + off.stderr());
    }

    @Test
    void aNewJarRecordsANewArchiveAndAStaleOneIsHarmless() throws IOException {
        Path cache = Files.createDirectories(work.resolve("cache"));
        Map<String, String> env = Map.of("STOWAGE_CDS_DIR", cache.toString());
        assertEquals(5, run(env, unreachableExport()).exitCode());
        assertEquals(5, run(env, unreachableExport()).exitCode());
        Path old = archives(cache).get(0);
        Path saved = Files.copy(old, work.resolve("old.jsa"));

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(5, run(env, unreachableExport()).exitCode());
        assertEquals(5, run(env, unreachableExport()).exitCode());
        List<Path> now = archives(cache);
        assertEquals(1, now.size(), "the archive of the replaced jar is dropped: " + now);
        assertNotEquals(old, now.get(0));

        // An archive of another jar under the current name (as if the key missed a change): ignored.
        Files.copy(saved, now.get(0), StandardCopyOption.REPLACE_EXISTING);
        Shell.Result stale = run(env, unreachableExport());
        assertEquals(5, stale.exitCode(), stale::toString);
        assertOnlyJsonLines(stale.stdout());
    }

    @Test
    void aTruncatedRecordingIsDiscardedNotMapped() throws IOException {
        Path cache = Files.createDirectories(work.resolve("cache"));
        Map<String, String> env = Map.of("STOWAGE_CDS_DIR", cache.toString());
        assertEquals(5, run(env, unreachableExport()).exitCode());
        Path recording = recordings(cache).get(0);
        // What a run killed while writing its archive leaves; mapping it would crash the JVM (SIGBUS).
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(recording.toFile(), "rw")) {
            file.setLength(file.length() / 3);
        }
        Shell.Result next = run(env, unreachableExport());
        assertEquals(5, next.exitCode(), next::toString);
        assertOnlyJsonLines(next.stdout());
        assertFalse(next.stderr().contains("fatal error"), next.stderr());
        assertFalse(Files.exists(recording), "the truncated recording was kept");
        assertEquals(List.of(), archives(cache), "a truncated recording was installed");
    }

    @Test
    void cdsOneCreatesTheCacheDirectoryAndNoCacheDirectoryMeansNoArchive() throws IOException {
        Path absent = work.resolve("absent");
        assertEquals(5, run(Map.of("STOWAGE_CDS_DIR", absent.toString()), unreachableExport()).exitCode());
        assertFalse(Files.exists(absent), "without STOWAGE_CDS=1 the launcher must not create the cache");

        Path created = work.resolve("new/cache");
        Map<String, String> env = Map.of("STOWAGE_CDS_DIR", created.toString(), "STOWAGE_CDS", "1");
        assertEquals(5, run(env, unreachableExport()).exitCode());
        assertEquals(5, run(env, unreachableExport()).exitCode());
        assertEquals(1, archives(created).size(), () -> files(created).toString());
    }

    @Test
    void ctrlCReachesJavaEvenWhileAnArchiveIsBeingRecorded() throws Exception {
        Path cache = Files.createDirectories(work.resolve("cache"));
        Path socket = work.resolve("silent.sock");
        // A "daemon" that accepts connections and never answers, so that the export waits.
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            List<SocketChannel> held = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(server.accept());
                    }
                } catch (IOException closed) {
                    // the server closed: the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            Process process = new ProcessBuilder("env", "-u", "STOWAGE_CDS", "-u", "STOWAGE_JAVA_OPTS",
                    "STOWAGE_CDS_DIR=" + cache, launcher.toString(), "--json", "storage", "export",
                    "--host", "unix://" + socket, "--dir", work.resolve("migrate").toString())
                    .redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile())
                    .start();
            // env and the launcher both exec: the process becomes java itself, with nothing in between.
            assertTrue(waitForJava(process), "the launcher did not exec java");
            // (its only java children are the disk probe processes it starts itself, see ProbeProcesses)
            assertEquals(List.of(), process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .filter(p -> !p.info().commandLine().orElse("").contains("IoProbeChild"))
                    .toList(), "java runs as a child of the launcher");
            Shell.run("kill", "-INT", Long.toString(process.pid()));
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "Ctrl-C (SIGINT) did not stop the run");
            assertEquals(130, process.exitValue(), () -> read(work.resolve("err.txt")));
            for (SocketChannel channel : List.copyOf(held)) {
                channel.close();
            }
        }
    }

    private static boolean waitForJava(Process process) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (process.info().command().orElse("").endsWith("/java")) {
                Thread.sleep(1500); // past JVM start-up, into the export's wait for the daemon
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
