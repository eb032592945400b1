package dev.stowage.phase;

import dev.stowage.archive.MigrationDir;
import dev.stowage.journal.RunLock;
import java.nio.file.Path;

/** A migration directory opened under its run lock; closing releases the lock. */
public final class Workspace implements AutoCloseable {
    private final RunLock lock;
    private final MigrationDir dir;

    private Workspace(RunLock lock, MigrationDir dir) {
        this.lock = lock;
        this.dir = dir;
    }

    public static Workspace open(Path root, String command) {
        Path dir = MigrationDir.prepare(root);
        RunLock lock = RunLock.acquire(dir, command);
        try {
            return new Workspace(lock, MigrationDir.open(dir));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public MigrationDir dir() {
        return dir;
    }

    @Override
    public void close() {
        lock.close();
    }
}
