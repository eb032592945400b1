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
            for (OptionSpec option : command.getCommandSpec().options()) {
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
        String text = man(BUILT.resolve("stowage.8"));
        String examples = section(text, "EXAMPLES");
        for (String step : List.of("stowage storage export --dry-run", "stowage storage export",
                "systemctl stop docker.socket docker.service", "\"storage-driver\": \"overlay2\"",
                "systemctl start docker", "stowage storage import")) {
            assertTrue(examples.contains(step), "EXAMPLES lacks " + step + ":\n" + examples);
        }
        assertTrue(examples.indexOf("stowage storage export\n") < examples.indexOf("stowage storage import"));
        String files = section(text, "FILES");
        for (String file : List.of("manifest.json", "blobs/sha256/<hex>", "tmp/", "lock", "/var/lib/stowage/migrate")) {
            assertTrue(files.contains(file), "FILES lacks " + file + ":\n" + files);
        }
        assertTrue(section(text, "SAFETY").contains("Do not delete the old data-root until import has exited 0"));
        assertTrue(section(text, "ENVIRONMENT").contains("STOWAGE_JAVA_OPTS"));
    }

    /** A command that is planned (issue 4), added to the model to show the pages switch by themselves. */
    @Command(name = "migrate", header = "Run every step of a migration")
    static final class Migrate implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void textAboutAPlannedCommandSwitchesOnceTheCommandExists(@TempDir Path dir) throws Exception {
        String today = section(man(BUILT.resolve("stowage.8")), "EXAMPLES");
        assertTrue(today.contains("is planned; it is not in this release"), today);
        assertFalse(today.contains("stowage storage migrate --driver overlay2 --dry-run"), today);

        CommandLine model = DocGenTest.model();
        model.getSubcommands().get("storage").addSubcommand(new Migrate());
        Map<String, String> pages = new ManPages(Path.of("man")).render(model);
        long start = System.nanoTime();
        DocGen.render(DocGen.writePages(pages, dir), dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("asciidoctor rendered %d pages in %.2f s%n", pages.size(), seconds);

        String later = section(man(dir.resolve("stowage.8")), "EXAMPLES");
        assertTrue(later.contains("stowage storage migrate --driver overlay2 --dry-run"), later);
        assertFalse(later.contains("is planned"), later);
        assertTrue(Files.exists(dir.resolve("stowage-storage-migrate.8")));
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
