package dev.stowage.report;

import dev.stowage.model.StowageException;

/** Renders events. One instance per run; phases share it. */
public interface Reporter extends AutoCloseable {

    void emit(Event event);

    /** The run failed: render the error (the CLI's only error output). */
    void error(StowageException error, String stacktrace);

    /** Whether a question may be asked on the terminal. */
    default boolean interactive() {
        return false;
    }

    @Override
    default void close() {
    }
}
