package dev.stowage.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.docgen.DocGen;
import dev.stowage.docgen.ManPages;
import dev.stowage.model.ToolVersion;
import dev.stowage.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds the RPM from the packaged target/ with packaging/build-rpm.sh, reads it with rpm, installs
 * it into a scratch root and runs what it installed from there (never from /usr on this host).
 */
class RpmIT {
    static Path work;
    static Path rpm;
    static Path root;

    @BeforeAll
    static void buildAndInstall() throws IOException {
        work = Files.createTempDirectory("stowage-it-rpm");
        String out = Shell.run("packaging/build-rpm.sh", work.resolve("out").toString()).trim();
        rpm = Path.of(out.substring(out.lastIndexOf('\n') + 1));
        assertTrue(Files.isRegularFile(rpm), out);
        root = install("root");
    }

    static Path install(String name) {
        Path dir = work.resolve(name);
        Shell.run("rpm", "--root", dir.toString(), "--initdb");
        Shell.run("rpm", "-ivh", "--root", dir.toString(), "--nodeps", rpm.toString());
        return dir;
    }

    @AfterAll
    static void clean() {
        if (work != null) {
            Shell.quietly("rm", "-rf", work.toString());
        }
    }

    @Test
    void shipsTheLauncherJarManPagesCompletionAndDocs() {
        Set<String> files = new TreeSet<>(List.of(Shell.run("rpm", "-qlp", rpm.toString()).split("\n")));
        List<String> expected = new ArrayList<>(List.of("/usr/bin/stowage", "/usr/share/java/stowage/stowage.jar",
                "/usr/share/bash-completion/completions/stowage", "/var/cache/stowage",
                "/usr/share/stowage/ansible/stowage-migrate.yml",
                "/usr/share/stowage/ansible/roles/stowage_migrate/tasks/main.yml"));
        ManPages.commands(DocGen.model()).forEach(c ->
                expected.add("/usr/share/man/man8/" + ManPages.name(c.getCommandSpec()) + ".8.gz"));
        assertTrue(files.containsAll(expected), "missing " + expected + " in " + files);
        assertTrue(files.stream().anyMatch(f -> f.matches("/usr/share/licenses/stowage[^/]*/LICENSE")), files::toString);
        assertTrue(files.stream().anyMatch(f -> f.matches("/usr/share/doc/stowage[^/]*/README.md")), files::toString);
        assertTrue(files.stream().anyMatch(f -> f.matches("/usr/share/doc/stowage[^/]*/json-output.md")), files::toString);
        long manPages = files.stream().filter(f -> f.startsWith("/usr/share/man/")).count();
        assertEquals(ManPages.commands(DocGen.model()).size(), manPages, "one man page per command: " + files);
    }

    @Test
    void isNoarchAndRequiresAJava17Runtime() {
        assertEquals("noarch", Shell.run("rpm", "-qp", "--qf", "%{ARCH}", rpm.toString()).trim());
        String requires = Shell.run("rpm", "-qp", "--requires", rpm.toString());
        assertTrue(requires.contains("java-17-headless"), requires);
        assertEquals(ToolVersion.get().replace('-', '~'),
                Shell.run("rpm", "-qp", "--qf", "%{VERSION}", rpm.toString()).trim());
    }

    @Test
    void installedLauncherRunsVersionAndHelpWithTheInstalledJar() throws IOException {
        Path classLog = work.resolve("classes.log");
        Shell.Result version = installed(Map.of("STOWAGE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog),
                "--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertTrue(version.stdout().startsWith("stowage " + ToolVersion.get() + "\n"), version.stdout());
        // The JVM's own record of where the main class came from: the scratch root, not the host's /usr.
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains("dev.stowage.cli.Main source: file:" + root.resolve("usr/share/java/stowage/stowage.jar")),
                loaded.lines().filter(l -> l.contains("dev.stowage.cli.Main")).findFirst().orElse("Main not loaded"));

        Shell.Result help = installed(Map.of(), "--help");
        assertEquals(0, help.exitCode(), help::toString);
        assertTrue(help.stdout().contains("Usage: stowage") && help.stdout().contains("storage")
                && help.stdout().contains("Exit codes:"), help.stdout());
        assertEquals("", help.stderr());
    }

    private static Shell.Result installed(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "-u", "STOWAGE_JAR", "-u", "STOWAGE_CDS_DIR",
                root.resolve("usr/bin/stowage").toString()));
        command.addAll(List.of(args));
        return Shell.run(env, command);
    }

    @Test
    void installedManPagesRenderAndCompletionLoadsOnDemand() {
        Shell.Result man = Shell.run(Map.of("MANWIDTH", "120"),
                List.of("man", "-l", root.resolve("usr/share/man/man8/stowage-storage-export.8.gz").toString()));
        assertEquals(0, man.exitCode(), man::toString);
        assertTrue(man.stdout().startsWith("STOWAGE-STORAGE-EXPORT(8)"), man.stdout());

        // bash-completion finds completions/stowage under XDG_DATA_DIRS the first time stowage is completed.
        String script = "source /usr/share/bash-completion/bash_completion && __load_completion stowage"
                + " && complete -p stowage";
        List<String> command = List.of("bash", "--noprofile", "--norc", "-c", script);
        Shell.Result loaded = Shell.run(Map.of("XDG_DATA_DIRS", root.resolve("usr/share").toString()), command);
        assertEquals(0, loaded.exitCode(), loaded::toString);
        assertTrue(loaded.stdout().contains("-F _complete_stowage stowage"), loaded.stdout());
    }

    @Test
    void erasingRemovesTheFilesAndTheClassDataArchives() throws IOException {
        Path scratch = install("erase");
        // Scriptlets run chrooted into the scratch root: give it a shell and rm (static busybox).
        Files.createDirectories(scratch.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), scratch.resolve("bin/busybox"));
        for (String applet : List.of("sh", "rm", "[")) {
            Files.createSymbolicLink(scratch.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(scratch.resolve("var/cache/stowage/stowage-1-2.jsa"), "archive");
        Shell.run("rpm", "-e", "--root", scratch.toString(), "stowage");
        assertFalse(Files.exists(scratch.resolve("usr/bin/stowage")));
        assertFalse(Files.exists(scratch.resolve("usr/share/java/stowage")));
        assertFalse(Files.exists(scratch.resolve("var/cache/stowage")), "the cache directory and its archives stay");
    }
}
