package dev.stowage.archive;

import dev.stowage.fs.DirHandle;
import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileHandle;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import dev.stowage.fs.NativeBuffer;
import dev.stowage.fs.Names;
import dev.stowage.model.ContainerChange;
import dev.stowage.model.WritableLayer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A container's writable layer as an image-format layer tar: written from the engine's list of
 * changes and the layer's directory on the host, applied to a new container's layer, and compared
 * with a layer on disk entry by entry (the proof that a migrated container has the same files).
 */
public final class LayerArchive {
    private static final int MAX_DIFFERENCES = 50;

    private LayerArchive() {
    }

    /**
     * Writes the layer tar. Paths the engine listed that are not there are skipped and named in
     * {@link TreeStats#changedWhileRead()}: a container still running, or a name that is not
     * UTF-8 (the engine's JSON replaces such bytes, so the name no longer matches the file).
     */
    public static TreeStats write(WritableLayer source, List<ContainerChange> changes, OutputStream out)
            throws IOException {
        List<String> deleted = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (ContainerChange change : changes) {
            // the engine's JSON carries names as Unicode text of their UTF-8 bytes; the writer takes bytes as latin1
            String path = Names.latin1(change.path().replaceFirst("^/+", "").getBytes(StandardCharsets.UTF_8));
            if (path.isEmpty()) {
                continue;
            }
            (change.kind() == ContainerChange.Kind.DELETED ? deleted : changed).add(path);
        }
        return TreeWriter.writeLayer(source.dir(), deleted, LayerLinks.complete(source.dir(), changed), out);
    }

    /** Applies a layer tar to a writable layer (refusing entries that would land outside it). */
    public static TreeStats apply(InputStream layer, WritableLayer target) throws IOException {
        return TreeExtractor.applyLayer(layer, target.dir(), target.kind());
    }

    /**
     * Lists how {@code target} differs from the layer tar: missing or extra-deleted paths, type,
     * owner, mode, mtime, content, symlink target and xattrs of every entry. Empty when equal.
     */
    public static List<String> compare(InputStream layer, WritableLayer target) throws IOException {
        List<String> differences = new ArrayList<>();
        try (DirHandle root = DirHandle.open(target.dir()); NativeBuffer buffer = new NativeBuffer(TreeWriter.BUFFER)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(layer, TreeWriter.BUFFER),
                    StandardCharsets.ISO_8859_1.name());
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null && differences.size() < MAX_DIFFERENCES; ) {
                List<byte[]> path = EntryPath.components(entry.getName(), entry.getName(), target.dir().toString());
                if (path.isEmpty()) {
                    continue;
                }
                String shown = "/" + Names.display(EntryPath.join(path, path.size()));
                String leaf = Names.latin1(path.get(path.size() - 1));
                if (leaf.startsWith(LayerPaths.WHITEOUT_PREFIX)) {
                    checkWhiteout(root, path, leaf, target.kind(), shown, differences);
                } else {
                    checkEntry(root, path, entry, tar, buffer, shown, differences);
                }
            }
        }
        return differences;
    }

    private static void checkWhiteout(DirHandle root, List<byte[]> path, String leaf, WritableLayer.Kind kind,
            String shown, List<String> differences) throws IOException {
        if (leaf.equals(LayerPaths.OPAQUE)) {
            return; // an opaque directory's content is checked entry by entry
        }
        byte[] deleted = Names.bytes(leaf.substring(LayerPaths.WHITEOUT_PREFIX.length()));
        String what = shown.substring(0, shown.lastIndexOf('/') + 1) + Names.display(deleted);
        try (Opened parent = Opened.parent(root, path)) {
            if (parent == null) {
                if (kind == WritableLayer.Kind.OVERLAY) {
                    differences.add(what + ": deleted in the export, but its whiteout is missing");
                }
                return;
            }
            FileStat stat = parent.dir.stat(deleted);
            boolean whiteout = stat.type() == FileType.CHAR_DEVICE && stat.rdevMajor() == 0 && stat.rdevMinor() == 0;
            if (kind == WritableLayer.Kind.ROOTFS || !whiteout) {
                differences.add(what + ": deleted in the export, but present (" + stat.type() + ")");
            }
        } catch (ErrnoException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            if (kind == WritableLayer.Kind.OVERLAY) {
                differences.add(what + ": deleted in the export, but its whiteout is missing");
            }
        }
    }

    private static void checkEntry(DirHandle root, List<byte[]> path, TarArchiveEntry entry, InputStream content,
            NativeBuffer buffer, String shown, List<String> differences) throws IOException {
        try (Opened parent = Opened.parent(root, path)) {
            if (parent == null) {
                differences.add(shown + ": missing");
                return;
            }
            byte[] leaf = path.get(path.size() - 1);
            FileStat stat;
            try {
                stat = parent.dir.stat(leaf);
            } catch (ErrnoException e) {
                if (e.isNotFound()) {
                    differences.add(shown + ": missing");
                    return;
                }
                throw e;
            }
            FileType expected = typeOf(entry);
            if (expected != stat.type()) {
                differences.add(shown + ": is " + stat.type() + ", expected " + expected);
                return;
            }
            if (entry.isLink()) {
                return; // a hardlink's metadata is its target's, compared at the target
            }
            if (stat.uid() != (int) entry.getLongUserId() || stat.gid() != (int) entry.getLongGroupId()) {
                differences.add(shown + ": owner " + stat.uid() + ":" + stat.gid() + ", expected "
                        + entry.getLongUserId() + ":" + entry.getLongGroupId());
            }
            if (expected != FileType.SYMLINK && stat.permissions() != (entry.getMode() & 07777)) {
                differences.add(shown + ": mode " + Integer.toOctalString(stat.permissions()) + ", expected "
                        + Integer.toOctalString(entry.getMode() & 07777));
            }
            if (expected != FileType.DIRECTORY) {
                long seconds = entry.getLastModifiedTime().toInstant().getEpochSecond();
                int nanos = entry.getLastModifiedTime().toInstant().getNano();
                if (stat.mtimeSeconds() != seconds || stat.mtimeNanos() != nanos) {
                    differences.add(shown + ": mtime differs");
                }
            }
            if (expected == FileType.SYMLINK && !Arrays.equals(parent.dir.readLink(leaf), Names.bytes(entry.getLinkName()))) {
                differences.add(shown + ": symlink target differs");
            }
            if (expected == FileType.REGULAR) {
                compareContent(parent.dir, leaf, entry, content, buffer, shown, differences);
            }
            SortedMap<String, byte[]> want = PaxXattrs.get(entry.getExtraPaxHeaders());
            SortedMap<String, byte[]> have = new TreeMap<>(expected == FileType.DIRECTORY ? dirXattrs(parent.dir, leaf)
                    : parent.dir.xattrs(leaf));
            have.keySet().removeIf(key -> key.startsWith("trusted.overlay."));
            if (!sameXattrs(want, have)) {
                differences.add(shown + ": xattrs differ (" + have.keySet() + ", expected " + want.keySet() + ")");
            }
        }
    }

    private static SortedMap<String, byte[]> dirXattrs(DirHandle parent, byte[] leaf) throws ErrnoException {
        try (DirHandle dir = parent.openDir(leaf)) {
            return dir.xattrs();
        }
    }

    private static void compareContent(DirHandle parent, byte[] leaf, TarArchiveEntry entry, InputStream content,
            NativeBuffer buffer, String shown, List<String> differences) throws IOException {
        MessageDigest expected = BlobStore.sha256();
        byte[] bytes = new byte[1 << 16];
        for (int n; (n = content.read(bytes)) > 0; ) {
            expected.update(bytes, 0, n);
        }
        MessageDigest actual = BlobStore.sha256();
        long size = entry.isSparse() ? entry.getRealSize() : entry.getSize();
        try (FileHandle file = parent.openRead(leaf)) {
            long offset = 0;
            for (int n; (n = file.read(buffer, buffer.array().length, offset)) > 0; offset += n) {
                actual.update(buffer.array(), 0, n);
            }
            if (offset != size) {
                differences.add(shown + ": size " + offset + ", expected " + size);
                return;
            }
        }
        if (!entry.isSparse() && !Arrays.equals(expected.digest(), actual.digest())) {
            differences.add(shown + ": content differs");
        }
    }

    private static boolean sameXattrs(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    private static FileType typeOf(TarArchiveEntry entry) {
        if (entry.isDirectory()) {
            return FileType.DIRECTORY;
        } else if (entry.isSymbolicLink()) {
            return FileType.SYMLINK;
        } else if (entry.isFIFO()) {
            return FileType.FIFO;
        } else if (entry.isCharacterDevice()) {
            return FileType.CHAR_DEVICE;
        } else if (entry.isBlockDevice()) {
            return FileType.BLOCK_DEVICE;
        }
        return FileType.REGULAR;
    }

    /** The parent directory of an entry, opened component by component without following symlinks. */
    private static final class Opened implements AutoCloseable {
        final DirHandle dir;
        private final List<DirHandle> handles;

        private Opened(DirHandle dir, List<DirHandle> handles) {
            this.dir = dir;
            this.handles = handles;
        }

        /** Null when a parent directory is missing. */
        static Opened parent(DirHandle root, List<byte[]> path) throws IOException {
            List<DirHandle> handles = new ArrayList<>();
            DirHandle dir = root;
            try {
                for (int i = 0; i < path.size() - 1; i++) {
                    dir = dir.openDir(path.get(i));
                    handles.add(dir);
                }
            } catch (ErrnoException e) {
                handles.forEach(DirHandle::close);
                if (e.isNotFound()) {
                    return null;
                }
                throw e;
            }
            return new Opened(dir, handles);
        }

        @Override
        public void close() {
            handles.forEach(DirHandle::close);
        }
    }
}
