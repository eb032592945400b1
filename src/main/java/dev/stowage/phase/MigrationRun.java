package dev.stowage.phase;

import dev.stowage.archive.Compression;
import dev.stowage.docker.DaemonClient;
import dev.stowage.docker.DaemonControl;
import dev.stowage.docker.DockerHost;
import dev.stowage.docker.EngineClient;
import dev.stowage.journal.Session;
import dev.stowage.model.Manifest;
import dev.stowage.report.Reporter;
import java.time.Duration;

/** Everything the phases of one {@code migrate} run share: where, what, how, and the live daemon client. */
public final class MigrationRun implements AutoCloseable {
    /** What the operator asked for besides the target. */
    public record Options(boolean live, Compression compression, boolean keepOld, boolean noStart, boolean cleanup,
            Duration daemonTimeout, Preflight preflight) {
    }

    private final Workspace workspace;
    private final Reporter reporter;
    private final DockerHost host;
    private final DaemonControl control;
    private final MigrationTarget target;
    private final Options options;
    private final Confirmation confirmation;
    private final DaemonSettings settings;
    private final Session session;
    private DaemonClient daemon;

    public MigrationRun(Workspace workspace, Reporter reporter, DockerHost host, DaemonControl control,
            MigrationTarget target, Options options, Confirmation confirmation, DaemonSettings settings) {
        this.workspace = workspace;
        this.reporter = reporter;
        this.host = host;
        this.control = control;
        this.target = target;
        this.options = options;
        this.confirmation = confirmation;
        this.settings = settings;
        this.session = workspace.journal().session("migrate");
    }

    Workspace workspace() {
        return workspace;
    }

    Reporter reporter() {
        return reporter;
    }

    DockerHost host() {
        return host;
    }

    DaemonControl control() {
        return control;
    }

    MigrationTarget target() {
        return target;
    }

    Options options() {
        return options;
    }

    Confirmation confirmation() {
        return confirmation;
    }

    DaemonSettings settings() {
        return settings;
    }

    Session session() {
        return session;
    }

    /** A client for the daemon as it runs now; reconnects after a restart. */
    DaemonClient daemon() {
        if (daemon == null) {
            daemon = EngineClient.connect(host);
        }
        return daemon;
    }

    /** Drops the client (before the daemon is stopped or restarted). */
    void disconnect() {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    Manifest manifest() {
        return workspace.dir().manifest().orElseThrow(() -> new IllegalStateException("no manifest after export"));
    }

    @Override
    public void close() {
        disconnect();
    }
}
