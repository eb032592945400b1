package dev.stowage.archive;

import dev.stowage.fs.DirHandle;
import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import dev.stowage.fs.Names;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Completes a layer's change list with the other names of its hardlinked files. The engine lists a
 * file as changed only when its mode, owner, size or mtime moved; {@code ln /image-file /new-name}
 * in a container changes none of those on the image file (overlayfs copies it up unchanged), so
 * only the new name is listed, and the link between the two would be lost. When a listed file has
 * more links than the list names, the layer directory is walked once to find the others.
 */
final class LayerLinks {
    private LayerLinks() {
    }

    /** {@code changed} plus the missing names of its hardlink groups (latin1, '/'-separated). */
    static List<String> complete(Path root, List<String> changed) throws IOException {
        Map<FileStat.InodeKey, Long> missing = new HashMap<>();
        try (DirHandle rootDir = DirHandle.open(root)) {
            for (String path : changed) {
                FileStat stat = stat(rootDir, path);
                if (stat != null && stat.type() != FileType.DIRECTORY && stat.nlink() > 1) {
                    missing.merge(stat.inodeKey(), stat.nlink() - 1, (left, one) -> left - 1);
                }
            }
        }
        missing.values().removeIf(left -> left <= 0);
        if (missing.isEmpty()) {
            return changed;
        }
        Set<String> listed = new HashSet<>(changed);
        List<String> completed = new ArrayList<>(changed);
        TreeWalk.walk(root, node -> {
            if (node.type() != FileType.DIRECTORY && missing.containsKey(node.stat().inodeKey())) {
                String path = Names.latin1(node.path());
                if (listed.add(path)) {
                    completed.add(path);
                }
            }
        });
        return completed;
    }

    /** The path's stat without following any symlink on the way; null when it is not there. */
    private static FileStat stat(DirHandle root, String path) throws IOException {
        String[] parts = path.split("/");
        List<DirHandle> opened = new ArrayList<>();
        try {
            DirHandle dir = root;
            for (int i = 0; i < parts.length - 1; i++) {
                if (!parts[i].isEmpty()) {
                    dir = dir.openDir(Names.bytes(parts[i]));
                    opened.add(dir);
                }
            }
            return dir.stat(Names.bytes(parts[parts.length - 1]));
        } catch (ErrnoException e) {
            if (e.isNotFound() || e.isNotDirectory() || e.isSymlinkLoop()) {
                return null; // gone or not reachable without following a link: the writer skips it too
            }
            throw e;
        } finally {
            opened.forEach(DirHandle::close);
        }
    }
}
