package dev.stowage.docgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.testing.Shell;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bash completion the build generated (target/completion/stowage), sourced into a real bash and
 * asked for candidates the way bash asks when the user presses TAB.
 */
class CompletionIT {
    static final Path SCRIPT = Path.of("target", "completion", "stowage");

    /** Sets COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT for {@code line} and calls the registered function. */
    private static final String TAB = String.join("\n",
            "source \"$1\" || exit 90",
            "spec=$(complete -p stowage) || exit 91",
            "fn=${spec##*-F }; fn=${fn%% *}",
            "line=$2",
            "read -ra COMP_WORDS <<< \"$line\"",
            "[[ $line == *' ' ]] && COMP_WORDS+=('')",
            "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))",
            "COMP_LINE=$line; COMP_POINT=${#line}",
            "\"$fn\" stowage \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null",
            "printf '%s\\n' \"${COMPREPLY[@]}\"");

    static Set<String> candidates(Path script, String line) {
        List<String> command = List.of("bash", "--noprofile", "--norc", "-c", TAB, "tab", script.toString(), line);
        Shell.Result result = Shell.run(Map.of(), command).requireSuccess(command);
        Set<String> words = new TreeSet<>(List.of(result.stdout().split("\n")));
        words.remove("");
        return words;
    }

    @Test
    void storageTabOffersExportAndImport() {
        Set<String> words = candidates(SCRIPT, "stowage storage ");
        assertTrue(words.containsAll(Set.of("export", "import")), words.toString());
    }

    @Test
    void everyCommandOffersItsSubcommands() {
        CommandLine model = DocGenTest.model();
        for (CommandLine command : ManPages.commands(model)) {
            if (command.getSubcommands().isEmpty()) {
                continue;
            }
            String line = command.getCommandSpec().qualifiedName(" ") + " ";
            Set<String> words = candidates(SCRIPT, line);
            assertTrue(words.containsAll(command.getSubcommands().keySet()), line + "<TAB> gave " + words);
        }
    }

    @Test
    void aPrefixNarrowsToTheMatchingWords() {
        assertEquals(Set.of("import"), candidates(SCRIPT, "stowage storage im"));
        assertEquals(Set.of("--dir", "--dry-run"), candidates(SCRIPT, "stowage storage export --d"));
    }
}
