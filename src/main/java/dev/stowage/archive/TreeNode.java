package dev.stowage.archive;

import dev.stowage.fs.DirHandle;
import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileHandle;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import java.util.SortedMap;

/**
 * One inode met by a {@link TreeWalk}: its path relative to the root (empty for the root itself)
 * and its stat. A directory node carries its own open handle; every other node its parent's,
 * through which it is read without ever following it.
 */
final class TreeNode {
    private final byte[] path;
    private final byte[] name;
    private final FileStat stat;
    private final DirHandle handle;

    TreeNode(byte[] path, byte[] name, FileStat stat, DirHandle handle) {
        this.path = path;
        this.name = name;
        this.stat = stat;
        this.handle = handle;
    }

    /** The path below the root, '/'-separated, without a leading "./"; empty for the root. */
    byte[] path() {
        return path;
    }

    FileStat stat() {
        return stat;
    }

    FileType type() {
        return stat.type();
    }

    boolean isRoot() {
        return path.length == 0;
    }

    /** A file's content, opened without following a symlink swapped in since the stat. */
    FileHandle open() throws ErrnoException {
        return handle.openRead(name);
    }

    byte[] linkTarget() throws ErrnoException {
        return handle.readLink(name);
    }

    /** Extended attributes; {@code opened} (may be null) saves a lookup for regular files. */
    SortedMap<String, byte[]> xattrs(FileHandle opened) throws ErrnoException {
        if (stat.type() == FileType.DIRECTORY) {
            return handle.xattrs();
        }
        if (opened != null) {
            return opened.xattrs();
        }
        return handle.xattrs(name);
    }
}
