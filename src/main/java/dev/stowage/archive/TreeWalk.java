package dev.stowage.archive;

import dev.stowage.fs.DirHandle;
import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Visits a directory tree depth-first, each directory before its contents and names in unsigned
 * byte order, so two walks of equal trees see the same sequence (deterministic archives, equal
 * digests). Directories are descended through {@link DirHandle#openDir}, so a symlink is never
 * followed. Memory stays at one directory listing per level.
 */
final class TreeWalk {
    /** Receives each node; the node's handles are only valid during the call. */
    interface Visitor {
        void visit(TreeNode node) throws IOException;
    }

    private final Visitor visitor;

    private TreeWalk(Visitor visitor) {
        this.visitor = visitor;
    }

    static void walk(Path root, Visitor visitor) throws IOException {
        try (DirHandle dir = DirHandle.open(root)) {
            TreeWalk walk = new TreeWalk(visitor);
            visitor.visit(new TreeNode(new byte[0], new byte[0], dir.stat(), dir));
            walk.descend(dir, new byte[0]);
        }
    }

    private void descend(DirHandle dir, byte[] prefix) throws IOException {
        List<byte[]> names = dir.list();
        names.sort(Arrays::compareUnsigned);
        for (byte[] name : names) {
            FileStat stat;
            try {
                stat = dir.stat(name);
            } catch (ErrnoException e) {
                if (e.isNotFound()) {
                    continue; // deleted since the listing: a live tree may change, as with tar
                }
                throw e;
            }
            byte[] path = join(prefix, name);
            if (stat.type() == FileType.DIRECTORY) {
                try (DirHandle child = dir.openDir(name)) {
                    visitor.visit(new TreeNode(path, name, child.stat(), child));
                    descend(child, path);
                }
            } else {
                visitor.visit(new TreeNode(path, name, stat, dir));
            }
        }
    }

    static byte[] join(byte[] prefix, byte[] name) {
        if (prefix.length == 0) {
            return name;
        }
        byte[] path = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        path[prefix.length] = '/';
        System.arraycopy(name, 0, path, prefix.length + 1, name.length);
        return path;
    }
}
