package dev.stowage.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/** Writes a whole file so that a crash leaves either the old content or the new, never a mix. */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Content producer that may throw. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code bytes} to {@code target} with mode 0600: temp → fsync → rename → fsync dir. A full
     * filesystem surfaces as a {@link NoSpaceException}, and the old content stays.
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void write(Path target, Content content) throws IOException {
        write(target, content, temp -> { });
    }

    /** A step on the written temp file before it is synced and renamed, e.g. giving it an owner. */
    @FunctionalInterface
    public interface TempStep {
        void apply(Path temp) throws IOException;
    }

    /**
     * Like {@link #write(Path, Content)}, with {@code beforeRename} run on the temp file after the
     * content and before the fsync: a replaced config file keeps its old mode and owner from the
     * instant it appears, instead of being 0600 until a later chmod.
     */
    public static void write(Path target, Content content, TempStep beforeRename) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(temp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PrivatePaths.FILE))) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                beforeRename.apply(temp);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Fsync.directory(dir);
        } catch (IOException e) {
            throw NoSpaceException.classify(e, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
