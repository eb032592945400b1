package dev.stowage.docgen;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The AsciiDoc source of every command's man page: picocli-codegen's rendering of the command
 * model, moved to section 8 (stowage administers the system), plus the command's extras from
 * {@code man/} and a SEE ALSO section naming every other page.
 */
public final class ManPages {
    public static final String SECTION = "8";

    private static final Pattern XREF = Pattern.compile("(?m)^xref:[\\w.-]+\\[([^\\]]*)\\]::$");
    private static final String END = "// end::picocli-generated-full-manpage[]";

    private final Path sources;

    /** @param sources the {@code man/} directory with the hand-written extras */
    public ManPages(Path sources) {
        this.sources = sources.toAbsolutePath().normalize();
    }

    /** Every visible command of the tree, the root first, then depth first in declaration order. */
    public static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        collect(root, all);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        if (command.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        all.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, all));
    }

    /** The page name of a command, e.g. {@code stowage-storage-export}. */
    public static String name(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /** Page name to AsciiDoc source, for every visible command. */
    public Map<String, String> render(CommandLine root) {
        List<CommandLine> commands = commands(root);
        List<String> names = commands.stream().map(c -> name(c.getCommandSpec())).toList();
        Map<String, String> pages = new LinkedHashMap<>();
        for (CommandLine command : commands) {
            pages.put(name(command.getCommandSpec()), page(command.getCommandSpec(), names));
        }
        return pages;
    }

    private String page(CommandSpec spec, List<String> names) {
        String name = name(spec);
        StringWriter generated = new StringWriter();
        try (PrintWriter writer = new PrintWriter(generated)) {
            ManPageGenerator.writeSingleManPage(writer, spec);
        }
        String text = generated.toString().replace("\r\n", "\n");
        text = require(text, "= " + name + "(1)\n", "= " + name + "(" + SECTION + ")\n" + attributes(names));
        text = text.replaceFirst("(?m)^==\\s+Exit codes:?\\s*$", "== Exit status");
        // Subcommand entries are cross-references to anchors that only exist in HTML; in a man page
        // the command's own page is named in SEE ALSO instead.
        text = XREF.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "::");
        String tail = extras(name) + seeAlso(name, names);
        return require(text, END, tail + END);
    }

    /**
     * {@code mansrc} lets extras include shared fragments; one {@code cmd-NAME} attribute per command
     * lets them say {@code ifdef::cmd-stowage-storage-migrate[]}, so that text describing a planned
     * command switches by itself once that command exists.
     */
    private String attributes(List<String> names) {
        StringBuilder text = new StringBuilder(":mansrc: " + sources + "\n");
        names.forEach(n -> text.append(":cmd-").append(n).append(":\n"));
        return text.toString();
    }

    private String extras(String name) {
        Path file = sources.resolve(name + ".adoc");
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try {
            return "// extras from man/" + name + ".adoc\n" + Files.readString(file, StandardCharsets.UTF_8) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seeAlso(String name, List<String> names) {
        List<String> refs = new ArrayList<>();
        names.stream().filter(n -> !n.equals(name)).forEach(n -> refs.add("*" + n + "*(" + SECTION + ")"));
        refs.add("*dockerd*(8)");
        refs.add("*docker*(1)");
        return "== See also\n\n" + String.join(", ", refs) + "\n\n";
    }

    private static String require(String text, String marker, String replacement) {
        if (!text.contains(marker)) {
            throw new IllegalStateException("picocli-codegen output changed: no '" + marker.trim() + "' in\n" + text);
        }
        return text.replace(marker, replacement);
    }
}
