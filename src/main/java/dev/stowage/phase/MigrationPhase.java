package dev.stowage.phase;

/**
 * One step of {@code stowage storage migrate}. A phase is run again after a crash until the
 * journal says it is done, so it must find what it already did and carry on (export and import
 * journal their units; stop, reset, modify and start check the state they leave behind).
 */
interface MigrationPhase {
    String name();

    /** What it does, for {@code storage status} and the plan. */
    String describe();

    void run(MigrationRun run);
}
