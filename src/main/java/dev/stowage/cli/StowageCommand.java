package dev.stowage.cli;

import dev.stowage.docker.DaemonClient;
import dev.stowage.docker.DockerHost;
import dev.stowage.docker.EngineClient;
import dev.stowage.model.ToolVersion;
import dev.stowage.phase.Workspace;
import dev.stowage.report.ConsoleReporter;
import dev.stowage.report.JsonReporter;
import dev.stowage.report.PlainReporter;
import dev.stowage.report.Reporter;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stowage}: the root command. */
@Command(name = "stowage", mixinStandardHelpOptions = true, versionProvider = StowageCommand.Version.class,
        header = "Move a Docker host's storage to a new graph driver, data-root or disk",
        subcommands = {StorageCommand.class, ProbeCommand.class},
        description = {
            "Move a Docker host's storage (every image, container, volume and network) to a new graph driver,"
                    + " data-root or disk, without re-pulling anything and without"
                    + " losing a byte.",
            "",
            "Typical use: `stowage storage export`, change the daemon's storage, `stowage storage import`."
        })
public final class StowageCommand implements Runnable {
    private final PrintStream out;
    private final PrintStream err;
    private Reporter reporter;

    @Mixin
    GlobalOptions options = new GlobalOptions();

    @Spec
    CommandSpec spec;

    StowageCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    GlobalOptions options() {
        return options;
    }

    /** The renderer for this run, chosen once: JSON lines, ANSI bars on a terminal, or plain lines. */
    Reporter reporter() {
        if (reporter == null) {
            if (options.json) {
                reporter = new JsonReporter(out);
            } else if (out == System.out && System.console() != null) {
                reporter = new ConsoleReporter(out, err, terminalWidth());
            } else {
                reporter = new PlainReporter(out, err);
            }
        }
        return reporter;
    }

    /** A command's work, given the daemon and the locked migration directory. */
    @FunctionalInterface
    interface Work {
        void run(DaemonClient daemon, Workspace workspace);
    }

    /** Connects, opens the workspace under its lock, runs {@code work}, and always closes the reporter. */
    void inWorkspace(String command, Work work) {
        try (DaemonClient daemon = connect(); Workspace workspace = Workspace.open(options.dir, command)) {
            work.run(daemon, workspace);
        } finally {
            reporter().close();
        }
    }

    DaemonClient connect() {
        return EngineClient.connect(DockerHost.resolve(options.host, System.getenv("DOCKER_HOST")));
    }

    private static int terminalWidth() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    @Override
    public void run() {
        // The spec's own CommandLine: a new one would print its usage to System.err, not to err.
        throw new ParameterException(spec.commandLine(), "a command is required: storage");
    }

    /** Prints the version stamped into the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stowage " + ToolVersion.get(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
