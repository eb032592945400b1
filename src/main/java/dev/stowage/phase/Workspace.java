package dev.stowage.phase;

import dev.stowage.archive.MigrationDir;
import dev.stowage.journal.Journal;
import dev.stowage.journal.RunLock;
import java.nio.file.Path;

/** A migration directory opened under its run lock, with its journal; closing releases the lock. */
public final class Workspace implements AutoCloseable {
    private final RunLock lock;
    private final MigrationDir dir;
    private final Journal journal;

    private Workspace(RunLock lock, MigrationDir dir, Journal journal) {
        this.lock = lock;
        this.dir = dir;
        this.journal = journal;
    }

    public static Workspace open(Path root, String command) {
        Path dir = MigrationDir.prepare(root);
        RunLock lock = RunLock.acquire(dir, command);
        try {
            MigrationDir opened = MigrationDir.open(dir);
            return new Workspace(lock, opened, Journal.open(opened.root()));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public MigrationDir dir() {
        return dir;
    }

    public Journal journal() {
        return journal;
    }

    @Override
    public void close() {
        journal.close();
        lock.close();
    }
}
