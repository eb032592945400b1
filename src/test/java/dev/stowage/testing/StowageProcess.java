package dev.stowage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the packaged launcher ({@code target/stowage}) as a real process, as an operator would. */
public final class StowageProcess {
    private StowageProcess() {
    }

    /** The outcome of one run: exit code, output, and its JSON lines when run with --json. */
    public record Run(int exitCode, String stdout, String stderr) {
        public List<JsonNode> jsonLines() {
            List<JsonNode> lines = new ArrayList<>();
            ObjectMapper mapper = new ObjectMapper();
            for (String line : stdout.split("\n")) {
                if (!line.isBlank()) {
                    try {
                        lines.add(mapper.readTree(line));
                    } catch (IOException e) {
                        throw new IllegalStateException("not a JSON line: " + line, e);
                    }
                }
            }
            return lines;
        }

        public JsonNode summary() {
            return jsonLines().stream().filter(n -> n.path("message_type").asText().equals("summary"))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no summary in:\n" + this));
        }

        public JsonNode error() {
            return jsonLines().stream().filter(n -> n.path("message_type").asText().equals("error"))
                    .findFirst().orElseThrow(() -> new AssertionError("no error in:\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    public static Path launcher() {
        Path launcher = Path.of(System.getProperty("stowage.launcher", "target/stowage"));
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing: run the ITs through `mvn verify`");
        }
        return launcher;
    }

    public static Run run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toAbsolutePath().toString());
        command.addAll(List.of(args));
        Shell.Result result = Shell.run(Map.of(), command, null, 900);
        return new Run(result.exitCode(), result.stdout(), result.stderr());
    }

    /** Starts a run without waiting, e.g. to kill it part way. Output goes to files in {@code logDir}. */
    public static Process start(Path logDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toAbsolutePath().toString());
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command)
                    .redirectOutput(logDir.resolve("stdout.txt").toFile())
                    .redirectError(logDir.resolve("stderr.txt").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
