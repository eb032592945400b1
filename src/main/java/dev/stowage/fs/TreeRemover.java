package dev.stowage.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Deletes a directory's contents like {@code rm -rf --one-file-system}, but through directory
 * handles: every level is opened from its parent without following symlinks, so a symlink swapped
 * in during the walk can never redirect the deletion elsewhere, and a directory on another
 * filesystem (a mount left below) is refused instead of emptied.
 */
public final class TreeRemover {
    private final FileStat.InodeKey rootDevice;
    private long removed;

    private TreeRemover(FileStat root) {
        this.rootDevice = root.inodeKey();
    }

    /** Removes everything inside {@code dir}, keeping {@code dir} itself; returns the number of entries removed. */
    public static long emptyDirectory(Path dir) throws IOException {
        try (DirHandle handle = DirHandle.open(dir)) {
            TreeRemover remover = new TreeRemover(handle.stat());
            remover.empty(handle, dir.toString());
            handle.sync();
            return remover.removed;
        }
    }

    private void empty(DirHandle dir, String where) throws IOException {
        for (byte[] name : dir.list()) {
            FileStat stat;
            try {
                stat = dir.stat(name);
            } catch (ErrnoException e) {
                if (e.isNotFound()) {
                    continue;
                }
                throw e;
            }
            if (stat.type() == FileType.DIRECTORY) {
                if (stat.devMajor() != rootDevice.devMajor() || stat.devMinor() != rootDevice.devMinor()) {
                    throw new IOException(where + "/" + Names.display(name) + " is on another filesystem (a mount"
                            + " point); unmount it first");
                }
                try (DirHandle child = dir.openDir(name)) {
                    empty(child, where + "/" + Names.display(name));
                }
            }
            dir.remove(name, stat.type() == FileType.DIRECTORY);
            removed++;
        }
    }
}
