package dev.stowage.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after the subcommand name. */
public final class GlobalOptions {
    public static final String DEFAULT_DIR = "/var/lib/stowage/migrate";

    @Option(names = "--host", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Docker daemon endpoint: unix:///path/docker.sock or tcp://HOST:PORT."
                    + " Default: $DOCKER_HOST, else unix:///var/run/docker.sock.")
    String host;

    @Option(names = "--dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Migration directory (created 0700). Default: " + DEFAULT_DIR + ".")
    Path dir = Path.of(DEFAULT_DIR);

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print JSON lines (message_type status, summary or error) on stdout instead of text.")
    boolean json;

    @Option(names = {"-y", "--yes"}, scope = ScopeType.INHERIT,
            description = "Answer yes to every confirmation question.")
    boolean yes;

    @Option(names = "--dry-run", scope = ScopeType.INHERIT,
            description = "Show what would be moved, how big it is and whether it fits; change nothing.")
    boolean dryRun;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error, for bug reports.")
    boolean stacktrace;
}
