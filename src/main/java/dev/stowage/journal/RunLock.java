package dev.stowage.journal;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import dev.stowage.fs.PrivatePaths;

/** The exclusive lock on a migration directory. Records the holder's pid for the next one to name. */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails at once with exit code 7, naming the process that holds it. */
    public static RunLock acquire(Path dir, String command) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PrivatePaths.FILE));
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw locked(dir, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " " + command + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RunLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            // This process holds the lock already. Leave the channel open: closing any descriptor
            // of the file drops every fcntl lock the process has on it, the held one included.
            throw locked(dir, "this process");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StowageException(ExitCode.PRECHECK, "cannot lock " + file + ": " + e.getMessage(),
                    "check that the migration directory is on a local, writable filesystem", e);
        }
    }

    /**
     * Who holds the lock on {@code dir} now ("pid N command"), if another process does; takes
     * nothing and writes nothing. Asks with a shared lock, which a holder's exclusive lock refuses.
     */
    public static Optional<String> holder(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            String holder = probe != null ? null : Files.readString(file, StandardCharsets.UTF_8).trim();
            if (probe != null) {
                probe.release();
            }
            channel.close();
            return Optional.ofNullable(holder);
        } catch (OverlappingFileLockException e) {
            // This process holds it: leave the channel open, as closing it would drop the held lock.
            return Optional.of("this process");
        } catch (IOException e) {
            closeQuietly(channel);
            return Optional.empty(); // cannot tell; status then reads the journal as if no run held it
        }
    }

    private static StowageException locked(Path dir, String holder) {
        return new StowageException(ExitCode.LOCKED,
                "another stowage run is using " + dir + (holder.isEmpty() ? "" : " (" + holder + ")"),
                "wait for it to finish, or stop it; a crashed run releases the lock by itself");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops the lock when the process exits anyway
        }
    }
}
