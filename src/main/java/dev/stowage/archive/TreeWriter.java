package dev.stowage.archive;

import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileHandle;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import dev.stowage.fs.NativeBuffer;
import dev.stowage.fs.Names;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Archives a directory tree into a tar stream with everything a volume or a container layer
 * needs: numeric owners, all 07777 mode bits, nanosecond mtimes, extended attributes of every
 * namespace (POSIX ACLs and file capabilities included, see {@link PaxXattrs}), hardlinks,
 * symlinks (never followed), fifos, devices, sparse files, and the root directory itself as "./".
 *
 * <p>Names are raw bytes (ISO-8859-1 in the tar header, GNU long-name records past 100 bytes), so
 * a name that is not UTF-8 survives. Sparse files use the PAX 1.0 sparse format (GNU tar and
 * libarchive read it): holes are found with SEEK_DATA/SEEK_HOLE and never read. The output is
 * deterministic for a given tree (sorted names, no atime/ctime), so equal volumes make equal blobs.
 * Memory is a few chunks in flight between the reading and the writing thread ({@link EntryPipe})
 * and one 1 MiB output buffer, whatever the file sizes.
 *
 * <p>Not kept: atime and ctime (ctime cannot be set), sockets (no tar format holds them; the
 * service that owns one recreates it), inode flags such as chattr +i, and preallocated but
 * unwritten extents (SEEK_DATA reports them as holes, as GNU tar sees them too). Binary xattr
 * values travel in LIBARCHIVE.xattr records, which GNU tar skips with a warning (bsdtar and
 * Stowage restore them).
 */
public final class TreeWriter implements AutoCloseable {
    static final int BUFFER = 1 << 20;

    private final NativeBuffer buffer = new NativeBuffer(EntryPipe.CHUNK);
    private final Map<FileStat.InodeKey, String> firstLinks = new HashMap<>();
    private final List<String> changed = new ArrayList<>();
    private final java.util.function.Predicate<String> keepXattr;
    private EntryPipe pipe;
    private long entries;
    private long contentBytes;
    private long sparseFiles;
    private long hardlinks;
    private long sockets;

    private TreeWriter(java.util.function.Predicate<String> keepXattr) {
        this.keepXattr = keepXattr;
    }

    /** Writes the tree under {@code root} to {@code out} (not closed; it is flushed). */
    public static TreeStats write(Path root, OutputStream out) throws IOException {
        try (TreeWriter writer = new TreeWriter(name -> true)) {
            return writer.run(out, () -> TreeWalk.walk(root, writer::add));
        }
    }

    /**
     * Writes a container layer in the image layer format: a whiteout ({@code .wh.<name>}) for each
     * deleted path, and one entry for each added or changed path, never recursing (a changed
     * directory stands for itself; its changed children are listed on their own). Entries are
     * ordered by the path they affect, a whiteout before a re-created path of the same name, so a
     * parent always precedes its children. Overlayfs' own xattrs ({@code trusted.overlay.*}) are
     * bookkeeping of the source driver and are left out.
     *
     * @param deleted and {@code changed}: paths relative to {@code root}, '/'-separated
     */
    public static TreeStats writeLayer(Path root, List<String> deleted, List<String> changed, OutputStream out)
            throws IOException {
        List<LayerItem> items = new ArrayList<>();
        deleted.forEach(path -> items.add(new LayerItem(Names.bytes(path), true)));
        changed.forEach(path -> items.add(new LayerItem(Names.bytes(path), false)));
        items.sort((a, b) -> {
            int order = java.util.Arrays.compareUnsigned(a.path(), b.path());
            return order != 0 ? order : Boolean.compare(!a.whiteout(), !b.whiteout());
        });
        try (TreeWriter writer = new TreeWriter(name -> !name.startsWith("trusted.overlay."));
                dev.stowage.fs.DirHandle rootDir = dev.stowage.fs.DirHandle.open(root)) {
            return writer.run(out, () -> {
                for (LayerItem item : items) {
                    if (item.whiteout()) {
                        writer.whiteout(item.path());
                    } else {
                        writer.addPath(rootDir, item.path());
                    }
                }
            });
        }
    }

    private record LayerItem(byte[] path, boolean whiteout) {
    }

    /** What the reading thread does: walk, stat, open, read, and hand entries to {@link #pipe}. */
    private interface Reading {
        void run() throws IOException;
    }

    /**
     * Reads on a thread of its own (see {@link EntryPipe}) and writes the tar stream on this one.
     * The counters and {@link #changed} are the reading thread's until it has ended.
     */
    private TreeStats run(OutputStream out, Reading reading) throws IOException {
        TarOutput tar = new TarOutput(new BufferedOutputStream(out, BUFFER));
        EntryPipe.run(pipe -> {
            this.pipe = pipe;
            reading.run();
        }, tar);
        tar.finish(); // flushes through to out
        return new TreeStats(entries, contentBytes, sparseFiles, hardlinks, sockets, changed);
    }

    /** An empty {@code .wh.<name>} file next to where {@code path} was. */
    private void whiteout(byte[] path) throws IOException {
        int slash = lastSlash(path);
        byte[] parent = java.util.Arrays.copyOfRange(path, 0, Math.max(0, slash));
        byte[] name = java.util.Arrays.copyOfRange(path, slash + 1, path.length);
        byte[] marker = TreeWalk.join(parent, concat(Names.bytes(LayerPaths.WHITEOUT_PREFIX), name));
        TreeEntry entry = new TreeEntry("./" + Names.latin1(marker), TarConstants.LF_NORMAL);
        entry.setMode(0);
        entry.setSize(0);
        put(entry);
    }

    /** One entry for {@code path} below {@code root}; a path that vanished meanwhile is skipped. */
    private void addPath(dev.stowage.fs.DirHandle root, byte[] path) throws IOException {
        int slash = lastSlash(path);
        List<byte[]> parents = new ArrayList<>();
        for (int start = 0, i = 0; i <= slash; i++) {
            if (i == slash || path[i] == '/') {
                if (i > start) {
                    parents.add(java.util.Arrays.copyOfRange(path, start, i));
                }
                start = i + 1;
            }
        }
        byte[] name = java.util.Arrays.copyOfRange(path, slash + 1, path.length);
        List<dev.stowage.fs.DirHandle> opened = new ArrayList<>();
        try {
            dev.stowage.fs.DirHandle dir = root;
            for (byte[] component : parents) {
                dir = dir.openDir(component); // O_NOFOLLOW: a symlinked parent is an error, never followed
                opened.add(dir);
            }
            FileStat stat;
            try {
                stat = dir.stat(name);
            } catch (dev.stowage.fs.ErrnoException e) {
                if (e.isNotFound()) {
                    noteChanged("./" + Names.latin1(path));
                    return;
                }
                throw e;
            }
            if (stat.type() == FileType.DIRECTORY) {
                try (dev.stowage.fs.DirHandle child = dir.openDir(name)) {
                    add(new TreeNode(path, name, child.stat(), child));
                }
            } else {
                add(new TreeNode(path, name, stat, dir));
            }
        } finally {
            for (dev.stowage.fs.DirHandle handle : opened) {
                handle.close();
            }
        }
    }

    private static int lastSlash(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private void add(TreeNode node) throws IOException {
        FileStat stat = node.stat();
        String name = node.isRoot() ? "./" : "./" + Names.latin1(node.path());
        if (stat.type() == FileType.SOCKET) {
            sockets++;
            return;
        }
        if (stat.type() != FileType.DIRECTORY && stat.nlink() > 1) {
            String first = firstLinks.putIfAbsent(stat.inodeKey(), name);
            if (first != null) {
                TreeEntry link = new TreeEntry(name, TarConstants.LF_LINK);
                link.setLinkName(first);
                describe(link, stat);
                put(link);
                hardlinks++;
                return;
            }
        }
        switch (stat.type()) {
            case DIRECTORY:
                put(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, stat, node.xattrs(null)));
                break;
            case REGULAR:
                FileHandle opened;
                try {
                    opened = node.open();
                } catch (ErrnoException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                    noteChanged(name); // deleted since the listing: a live tree, as with tar
                    return;
                }
                try (FileHandle file = opened) {
                    addFile(name, stat, file, node.xattrs(file));
                }
                break;
            case SYMLINK:
                TreeEntry symlink = entry(name, TarConstants.LF_SYMLINK, stat, node.xattrs(null));
                symlink.setLinkName(Names.latin1(node.linkTarget()));
                put(symlink);
                break;
            case FIFO:
                put(entry(name, TarConstants.LF_FIFO, stat, node.xattrs(null)));
                break;
            case CHAR_DEVICE:
            case BLOCK_DEVICE:
                TreeEntry device = entry(name, stat.type() == FileType.CHAR_DEVICE ? TarConstants.LF_CHR
                        : TarConstants.LF_BLK, stat, node.xattrs(null));
                device.setDevMajor(Math.toIntExact(stat.rdevMajor()));
                device.setDevMinor(Math.toIntExact(stat.rdevMinor()));
                put(device);
                break;
            default:
                throw new IllegalStateException("unexpected file type " + stat.type());
        }
    }

    private void addFile(String name, FileStat stat, FileHandle file, SortedMap<String, byte[]> xattrs)
            throws IOException {
        // The entry is built on the writing thread: this one has the system calls to make.
        long size = stat.size();
        SparseMap map = stat.mayBeSparse() && file.canFindHoles() ? SparseMap.scan(file, size) : null;
        if (map == null || map.isDense(size)) {
            pipe.begin(() -> {
                TreeEntry entry = entry(name, TarConstants.LF_NORMAL, stat, xattrs);
                entry.setSize(size);
                return entry;
            });
            copy(name, file, 0, size);
        } else {
            byte[] header = map.header(size);
            long dataBytes = map.dataBytes();
            pipe.begin(() -> {
                TreeEntry entry = entry(name, TarConstants.LF_NORMAL, stat, xattrs);
                entry.putPax("GNU.sparse.major", "1");
                entry.putPax("GNU.sparse.minor", "0");
                entry.putPax("GNU.sparse.realsize", Long.toString(size));
                entry.setSize(header.length + dataBytes);
                return entry;
            });
            pipe.write(header);
            for (int i = 0; i < map.count(); i++) {
                copy(name, file, map.offset(i), map.length(i));
            }
            sparseFiles++;
        }
        pipe.end();
        entries++;
    }

    /** Copies {@code length} bytes at {@code offset}; a file that shrank meanwhile is padded with zeros. */
    private void copy(String name, FileHandle file, long offset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            int want = (int) Math.min(pipe.room(), length - done);
            int n = file.read(buffer, pipe.array(), pipe.position(), want, offset + done);
            if (n == 0) {
                noteChanged(name);
                java.util.Arrays.fill(pipe.array(), pipe.position(), pipe.position() + want, (byte) 0);
                n = want;
            }
            pipe.filled(n);
            done += n;
        }
        contentBytes += length;
    }

    private void noteChanged(String name) {
        if (changed.size() < TreeStats.MAX_CHANGED && !changed.contains(name)) {
            changed.add(Names.display(name));
        }
    }

    private TreeEntry entry(String name, byte type, FileStat stat, SortedMap<String, byte[]> xattrs) {
        TreeEntry entry = new TreeEntry(name, type);
        describe(entry, stat);
        SortedMap<String, byte[]> kept = new java.util.TreeMap<>(xattrs);
        kept.keySet().removeIf(key -> !keepXattr.test(key));
        PaxXattrs.put(entry.pax(), kept);
        return entry;
    }

    private static void describe(TreeEntry entry, FileStat stat) {
        entry.setMode(stat.permissions());
        entry.setUserId(Integer.toUnsignedLong(stat.uid()));
        entry.setGroupId(Integer.toUnsignedLong(stat.gid()));
        entry.setMtime(stat.mtimeSeconds(), stat.mtimeNanos());
    }

    private void put(TreeEntry entry) throws IOException {
        pipe.begin(() -> entry);
        pipe.end();
        entries++;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
