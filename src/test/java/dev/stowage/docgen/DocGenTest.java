package dev.stowage.docgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The man page sources and the completion come from the command model, whatever it holds. */
class DocGenTest {
    private static final Path SOURCES = Path.of("man");

    /** A command that does not exist, added to the model to show that pages follow the model. */
    @Command(name = "frobnicate", header = "Frobnicate the storage", description = "Frobnicates.")
    static final class Frobnicate implements Runnable {
        @Option(names = "--frob-level", paramLabel = "N", description = "How hard.")
        int level;

        @Override
        public void run() {
        }
    }

    static CommandLine model() {
        return DocGen.model();
    }

    @Test
    void everyCommandGetsASectionEightPageWithItsExitStatus() {
        Map<String, String> pages = new ManPages(SOURCES).render(model());
        assertTrue(pages.keySet().containsAll(List.of("stowage", "stowage-storage", "stowage-storage-export",
                "stowage-storage-import")), pages.keySet().toString());
        pages.forEach((name, text) -> {
            assertTrue(text.contains("= " + name + "(8)\n"), name);
            assertFalse(text.contains(name + "(1)"), name + " still names section 1");
            assertTrue(text.contains("== Exit status\n"), name);
            assertTrue(text.contains("*130*::"), name);
            assertTrue(text.contains("== See also\n"), name);
            assertFalse(text.contains("xref:"), name + " keeps HTML-only cross-references");
        });
    }

    @Test
    void aNewCommandGetsItsPageSeeAlsoEntryAndCompletionWithoutAnyOtherChange() {
        CommandLine model = model();
        model.getSubcommands().get("storage").addSubcommand(new Frobnicate());
        Map<String, String> pages = new ManPages(SOURCES).render(model);

        String page = pages.get("stowage-storage-frobnicate");
        assertTrue(page != null, pages.keySet().toString());
        assertTrue(page.contains("stowage-storage-frobnicate - Frobnicate the storage"), page);
        assertTrue(page.contains("*--frob-level*=_N_"), page);
        assertTrue(pages.get("stowage-storage").contains("*frobnicate*::"), "listed under COMMANDS of its parent");
        assertTrue(pages.get("stowage").contains("*stowage-storage-frobnicate*(8)"), "named in SEE ALSO");
        // Text about planned commands switches on attributes that name the commands that exist.
        assertTrue(pages.get("stowage").contains(":cmd-stowage-storage-frobnicate:\n"));
        assertTrue(Completion.bash(model).contains("frobnicate"));
    }

    @Test
    void everyExtrasFileBelongsToACommandOfTheModel() throws IOException {
        Set<String> pages = new ManPages(SOURCES).render(model()).keySet();
        Set<String> extras;
        try (Stream<Path> files = Files.list(SOURCES)) {
            extras = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".adoc"))
                    .map(n -> n.substring(0, n.length() - ".adoc".length())).collect(Collectors.toCollection(TreeSet::new));
        }
        assertFalse(extras.isEmpty());
        extras.removeAll(pages);
        assertEquals(Set.of(), extras, "man/*.adoc files that no command's page would use (a typo in the name?)");
    }

    @Test
    void extrasAreAppendedBeforeSeeAlso() {
        String root = new ManPages(SOURCES).render(model()).get("stowage");
        int examples = root.indexOf("== Examples");
        int files = root.indexOf("== Files");
        int safety = root.indexOf("== Safety");
        int seeAlso = root.indexOf("== See also");
        assertTrue(examples > root.indexOf("== Exit status") && files > 0 && safety > 0, root);
        assertTrue(seeAlso > examples && seeAlso > files && seeAlso > safety, root);
        assertTrue(root.contains(":mansrc: " + SOURCES.toAbsolutePath().normalize() + "\n"));
    }

    @Test
    void completionCoversEveryCommandAndOption() {
        CommandLine model = model();
        String script = Completion.bash(model);
        for (CommandLine command : ManPages.commands(model)) {
            assertTrue(script.contains(command.getCommandName()), command.getCommandName());
            command.getCommandSpec().options().stream().filter(o -> !o.hidden()).forEach(o -> { // hidden: test hooks
                for (String name : o.names()) {
                    assertTrue(script.contains(name), command.getCommandName() + " " + name);
                }
            });
        }
    }
}
