package dev.stowage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs host commands for tests, failing loudly with their output when they fail. */
public final class Shell {
    private Shell() {
    }

    /** The outcome of one command. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess(List<String> command) {
            if (exitCode != 0) {
                throw new IllegalStateException("command failed (" + exitCode + "): " + String.join(" ", command)
                        + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    public static String run(String... command) {
        return run(Map.of(), List.of(command)).requireSuccess(List.of(command)).stdout();
    }

    public static Result run(Map<String, String> env, List<String> command) {
        return run(env, command, null, 600);
    }

    public static Result run(Map<String, String> env, List<String> command, Path stdin, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("stowage-test-out", ".txt");
            Path err = Files.createTempFile("stowage-test-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin != null) {
                    builder.redirectInput(stdin.toFile());
                }
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException("command timed out after " + timeoutSeconds + " s: " + command);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command and ignores its failure: for cleanup that must go on regardless. */
    public static void quietly(String... command) {
        try {
            run(Map.of(), List.of(command), null, 60);
        } catch (RuntimeException ignored) {
            // cleanup continues with the next step
        }
    }
}
