package dev.stowage.cli;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Builds the command tree and maps every failure to its exit code in one place. */
public final class Cli {
    private Cli() {
    }

    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        StowageCommand root = new StowageCommand(out, err);
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler(new ExceptionMapper(root));
        commandLine.setParameterExceptionHandler((e, args) -> {
            if (java.util.Arrays.asList(args).contains("--json")) {
                // scripts asked for JSON: a bad command line is an error line too, not only usage text
                new dev.stowage.report.JsonReporter(out).error(new StowageException(ExitCode.USAGE, e.getMessage(),
                        "see `" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help`"), null);
            }
            e.getCommandLine().getErr().println(e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, e.getCommandLine().getErr())) {
                e.getCommandLine().usage(e.getCommandLine().getErr());
            }
            return ExitCode.USAGE.code();
        });
        commandLine.setExitCodeExceptionMapper(e -> ExitCode.USAGE.code());
        addExitCodes(commandLine, exitCodeTable());
        return commandLine;
    }

    /** The table printed under "Exit codes:" in every command's help and man page. */
    static Map<String, String> exitCodeTable() {
        Map<String, String> table = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            table.put(String.format("%3d", code.code()), code.meaning());
        }
        return table;
    }

    private static void addExitCodes(CommandLine commandLine, Map<String, String> table) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(table);
        commandLine.getSubcommands().values().forEach(sub -> addExitCodes(sub, table));
    }

    /** Renders a failure through the run's reporter and returns its documented exit code. */
    private static final class ExceptionMapper implements IExecutionExceptionHandler {
        private final StowageCommand root;

        ExceptionMapper(StowageCommand root) {
            this.root = root;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
            StowageException error = e instanceof StowageException se ? se
                    : new StowageException(ExitCode.INTERNAL, "unexpected " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                            "this is a bug in stowage; rerun with --stacktrace and report the output", e);
            String trace = null;
            if (root.options().stacktrace) {
                StringWriter text = new StringWriter();
                e.printStackTrace(new PrintWriter(text));
                trace = text.toString();
            }
            root.reporter().error(error, trace);
            root.reporter().close();
            return error.exitCode().code();
        }
    }
}
