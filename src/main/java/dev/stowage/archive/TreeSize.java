package dev.stowage.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The space a tree takes: allocated blocks (sparse files count what they use), each inode once. */
public final class TreeSize {
    private TreeSize() {
    }

    public static long allocated(Path root) throws IOException {
        long[] total = {0};
        Set<dev.stowage.fs.FileStat.InodeKey> seen = new HashSet<>();
        TreeWalk.walk(root, node -> {
            if (node.stat().nlink() <= 1 || seen.add(node.stat().inodeKey())) {
                total[0] += node.stat().blocks() * 512;
            }
        });
        return total[0];
    }
}
