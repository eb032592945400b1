package dev.stowage.cli;

import dev.stowage.fs.LibraryPath;
import java.io.PrintStream;

/** Entry point. The only place that exits the JVM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LibraryPath.withoutLdconfig(); // before any class loads a native library
        PreflightOptions.startEarly(args);
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code; used by tests in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.commandLine(out, err).execute(args);
    }
}
