package dev.stowage.journal;

import dev.stowage.model.StowageException;
import java.nio.file.Path;

/** Run as a separate JVM: tries to take the run lock, prints the outcome, exits with its code. */
@SuppressWarnings("try")
public final class LockContender {
    private LockContender() {
    }

    public static void main(String[] args) {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), "contender")) {
            System.out.println("acquired");
        } catch (StowageException e) {
            System.out.println(e.getMessage());
            System.exit(e.exitCode().code());
        }
    }
}
