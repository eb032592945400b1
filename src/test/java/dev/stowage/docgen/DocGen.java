package dev.stowage.docgen;

import dev.stowage.cli.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Writes {@code target/man/adoc/*.adoc}, renders them to {@code target/man/*.8} with asciidoctor,
 * and writes {@code target/completion/stowage}. Run by Maven in {@code prepare-package}:
 * {@code DocGen <man-sources-dir> <target-dir>}.
 */
public final class DocGen {
    private DocGen() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: DocGen MAN_SOURCES_DIR TARGET_DIR");
        }
        Path target = Path.of(args[1]);
        CommandLine root = model();
        List<Path> sources = writePages(new ManPages(Path.of(args[0])).render(root), target.resolve("man"));
        render(sources, target.resolve("man"));
        Path completion = target.resolve("completion").resolve(root.getCommandName());
        Files.createDirectories(completion.getParent());
        Files.writeString(completion, Completion.bash(root), StandardCharsets.UTF_8);
    }

    /** The command model, exactly as {@code stowage} builds it, with output going nowhere. */
    public static CommandLine model() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return Cli.commandLine(nowhere, nowhere);
    }

    /** Writes each page's AsciiDoc afresh, so that a removed command leaves no stale page behind. */
    static List<Path> writePages(Map<String, String> pages, Path manDir) throws IOException {
        Path adoc = manDir.resolve("adoc");
        for (Path dir : List.of(adoc, manDir)) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path file : old.filter(Files::isRegularFile).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
        Files.createDirectories(adoc);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = adoc.resolve(page.getKey() + ".adoc");
            Files.writeString(file, page.getValue(), StandardCharsets.UTF_8);
            written.add(file);
        }
        written.sort(Comparator.naturalOrder());
        return written;
    }

    /** One asciidoctor run for all pages (its start-up dominates); any warning fails the build. */
    static void render(List<Path> sources, Path manDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("asciidoctor", "--backend", "manpage",
                "--failure-level", "WARN", "--destination-dir", manDir.toString()));
        sources.forEach(s -> command.add(s.toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new IOException("cannot run asciidoctor to render the man pages (Debian: apt-get install"
                    + " asciidoctor; RHEL: dnf install rubygem-asciidoctor): " + e.getMessage(), e);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("asciidoctor did not finish within 120 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("asciidoctor failed (exit " + process.exitValue() + "): " + String.join(" ", command));
        }
    }
}
