package dev.stowage.config;

import java.nio.file.Path;

/**
 * A flag dockerd will be started with, and where it is written.
 *
 * @param name long name without dashes, also for shorthands ({@code -g} is {@code graph})
 * @param spelled as written: {@code -s}, {@code --storage-driver}
 * @param value null for a boolean flag given without a value
 * @param origin where it comes from, for the operator: {@code ExecStart in /etc/systemd/...}
 * @param envFile the environment file whose variable carried it, or null when written in the unit
 * @param variable that variable, or null
 */
record DaemonFlag(String name, String spelled, String value, String origin, Path envFile, String variable) {

    /** {@code --storage-driver overlay2}, as the operator would look for it. */
    String display() {
        return value == null ? spelled : spelled + " " + value;
    }

    /** The daemon.json key this flag collides with. */
    String jsonKey() {
        return DaemonFlags.jsonKey(name);
    }
}
