package dev.stowage.docgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ExitCode;
import dev.stowage.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The man pages the build rendered (target/man/*.8), read the way an operator reads them: through
 * {@code man -l}. Each must show every subcommand and option of its command, the exit-code table,
 * and the root page the workflow, the files and the safety notes.
 */
class ManPageIT {
    private static final Path BUILT = Path.of("target", "man");

    @Test
    void thereIsExactlyOnePagePerCommand() throws IOException {
        Set<String> expected = ManPages.commands(DocGenTest.model()).stream()
                .map(c -> ManPages.name(c.getCommandSpec()) + ".8").collect(Collectors.toCollection(TreeSet::new));
        Set<String> built;
        try (Stream<Path> files = Files.list(BUILT)) {
            built = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".8"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(expected, built);
    }

    @Test
    void everyPageShowsEverySubcommandOptionAndExitCode() {
        CommandLine model = DocGenTest.model();
        List<String> pages = ManPages.commands(model).stream().map(c -> ManPages.name(c.getCommandSpec())).toList();
        for (CommandLine command : ManPages.commands(model)) {
            String name = ManPages.name(command.getCommandSpec());
            String text = man(BUILT.resolve(name + ".8"));
            assertTrue(text.startsWith(name.toUpperCase() + "(8)"), text);
            String commands = command.getSubcommands().isEmpty() ? "" : section(text, "COMMANDS");
            for (String sub : command.getSubcommands().keySet()) {
                assertTrue(commands.contains("\n       " + sub + "\n"), name + " lacks subcommand " + sub + ":\n" + text);
            }
            String options = section(text, "OPTIONS");
            // hidden options (test hooks such as modify --root) stay out of the page, as out of --help
            for (OptionSpec option : command.getCommandSpec().options().stream().filter(o -> !o.hidden()).toList()) {
                for (String optionName : option.names()) {
                    assertTrue(options.contains(optionName), name + " lacks option " + optionName + ":\n" + text);
                }
                String description = String.join(" ", option.description());
                assertTrue(options.contains(description.replace("`", "").replace("'", "’")),
                        name + " lacks the description of " + option.longestName() + ":\n" + options);
            }
            String exitStatus = section(text, "EXIT STATUS");
            for (ExitCode code : ExitCode.values()) {
                assertTrue(exitStatus.contains("\n       " + code.code() + "\n           " + code.meaning() + "\n"),
                        name + " lacks exit code " + code.code() + ":\n" + exitStatus);
            }
            String seeAlso = section(text, "SEE ALSO");
            pages.stream().filter(p -> !p.equals(name))
                    .forEach(p -> assertTrue(seeAlso.contains(p + "(8)"), name + " SEE ALSO lacks " + p));
        }
    }

    @Test
    void theRootPageShowsTheWorkflowTheFilesAndTheSafetyNotes() {
        CommandLine model = DocGenTest.model();
        String text = man(BUILT.resolve("stowage.8"));
        String examples = section(text, "EXAMPLES");
        // step 4 is a command once `modify` exists, a daemon.json edit until then
        String modify = model.getSubcommands().get("storage").getSubcommands().containsKey("modify")
                ? "stowage storage modify --driver overlay2" : "\"storage-driver\": \"overlay2\"";
        for (String step : List.of("stowage storage migrate --driver overlay2 --dry-run",
                "stowage storage migrate --driver overlay2\n", "stowage storage export --dry-run",
                "stowage storage export", "systemctl stop docker.socket docker.service", "stowage storage reset",
                modify, "systemctl start docker", "stowage storage import")) {
            assertTrue(examples.contains(step), "EXAMPLES lacks " + step + ":\n" + examples);
        }
        assertFalse(examples.contains("is planned; it is not in this release"), examples);
        assertFalse(examples.contains("mv /var/lib/docker"), "the real reset is described:\n" + examples);
        assertTrue(examples.indexOf("stowage storage export\n") < examples.indexOf("stowage storage reset"));
        assertTrue(examples.indexOf("stowage storage reset") < examples.indexOf("stowage storage import"));
        String files = section(text, "FILES");
        for (String file : List.of("manifest.json", "blobs/sha256/<hex>", "journal.jsonl", "tmp/", "lock",
                "/var/lib/stowage/migrate")) {
            assertTrue(files.contains(file), "FILES lacks " + file + ":\n" + files);
        }
        String safety = section(text, "SAFETY");
        assertTrue(safety.contains("Do not delete the old data-root until import has exited 0"), safety);
        assertTrue(safety.contains("the reset phase is the point of no return"), safety);
        assertTrue(safety.contains("--keep-old"), safety);
        assertTrue(section(text, "ENVIRONMENT").contains("STOWAGE_JAVA_OPTS"));
    }

    @Test
    void migrateResetVerifyAndStatusHaveTheirExamplesFilesAndSafetyNotes() {
        Map<String, List<String>> examples = Map.of(
                "stowage-storage-migrate", List.of("stowage storage migrate --driver overlay2 --dry-run",
                        "--stop-command '/etc/init.d/docker stop' --start-command '/etc/init.d/docker start'",
                        "stowage storage status", "stowage storage reset --dir /mnt/scratch/stowage --data-root /var/lib/docker"),
                "stowage-storage-reset", List.of("stowage storage reset --dry-run", "stowage storage reset --stop-daemon --keep-old"),
                "stowage-storage-verify", List.of("stowage storage verify"),
                "stowage-storage-status", List.of("stowage storage status"));
        Map<String, List<String>> safety = Map.of(
                "stowage-storage-migrate", List.of("reset is the point of no return", "--keep-old moves the old content aside",
                        "copy the backup of daemon.json back"),
                "stowage-storage-reset", List.of("--keep-old deletes nothing", "--force resets without such an export"),
                "stowage-storage-verify", List.of("Verify only reads"),
                "stowage-storage-status", List.of("reads journal.jsonl only", "while a migration runs"));
        examples.forEach((page, expected) -> {
            String text = man(BUILT.resolve(page + ".8"));
            expected.forEach(e -> assertTrue(section(text, "EXAMPLES").contains(e), page + " EXAMPLES lacks " + e + ":\n" + text));
            String files = section(text, "FILES");
            assertTrue(files.contains("journal.jsonl") && files.contains("manifest.json"), page + " FILES:\n" + files);
            safety.get(page).forEach(s -> assertTrue(section(text, "SAFETY").contains(s), page + " SAFETY lacks " + s
                    + ":\n" + section(text, "SAFETY")));
        });
        String migrateFiles = section(man(BUILT.resolve("stowage-storage-migrate.8")), "FILES");
        assertTrue(migrateFiles.contains("/etc/docker/daemon.json") && migrateFiles.contains("stowage-old-TIMESTAMP"),
                migrateFiles);
    }

    /** A command that no release has, added to the model to show that the pages switch by themselves. */
    @Command(name = "frobnicate", header = "Frobnicate the storage")
    static final class Frobnicate implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void textAboutAPlannedCommandSwitchesOnceTheCommandExists(@TempDir Path dir) throws Exception {
        Path sources = Files.createDirectories(dir.resolve("man"));
        Files.writeString(sources.resolve("stowage.adoc"), "== Examples\n\n"
                + "ifdef::cmd-stowage-storage-frobnicate[]\nRun *stowage storage frobnicate* to frobnicate.\nendif::[]\n"
                + "ifndef::cmd-stowage-storage-frobnicate[]\nFrobnicating is planned; do it by hand.\nendif::[]\n");
        String today = examples(new ManPages(sources).render(DocGenTest.model()), dir.resolve("today"));
        assertTrue(today.contains("Frobnicating is planned; do it by hand."), today);
        assertFalse(today.contains("stowage storage frobnicate"), today);

        CommandLine model = DocGenTest.model();
        model.getSubcommands().get("storage").addSubcommand(new Frobnicate());
        long start = System.nanoTime();
        String later = examples(new ManPages(sources).render(model), dir.resolve("later"));
        System.out.printf("asciidoctor rendered the pages in %.2f s%n", (System.nanoTime() - start) / 1e9);
        assertTrue(later.contains("Run stowage storage frobnicate to frobnicate."), later);
        assertFalse(later.contains("is planned"), later);
        assertTrue(Files.exists(dir.resolve("later").resolve("stowage-storage-frobnicate.8")));
    }

    /** Renders {@code pages} into {@code out} and returns the root page's EXAMPLES. */
    private static String examples(Map<String, String> pages, Path out) throws Exception {
        Files.createDirectories(out);
        DocGen.render(DocGen.writePages(pages, out), out);
        return section(man(out.resolve("stowage.8")), "EXAMPLES");
    }

    /** The page as {@code man -l} prints it, unwrapped (wide) so that lines can be matched whole. */
    static String man(Path page) {
        Shell.Result result = Shell.run(Map.of("MANWIDTH", "250", "LC_ALL", "C.UTF-8"),
                List.of("man", "--warnings", "-l", page.toString()));
        result.requireSuccess(List.of("man", "-l", page.toString()));
        assertEquals("", result.stderr(), "groff warnings for " + page);
        return result.stdout();
    }

    /** The text under a section heading, up to the next heading. */
    static String section(String text, String heading) {
        int start = text.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "no " + heading + " section in:\n" + text);
        int end = start + heading.length() + 2;
        while (end < text.length()) {
            int next = text.indexOf('\n', end);
            if (next < 0 || (next + 1 < text.length() && Character.isUpperCase(text.charAt(next + 1)))) {
                return text.substring(start, next < 0 ? text.length() : next + 1);
            }
            end = next + 1;
        }
        return text.substring(start);
    }
}
