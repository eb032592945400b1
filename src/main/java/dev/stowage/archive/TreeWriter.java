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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
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
 * Memory is one 1 MiB buffer, whatever the file sizes.
 *
 * <p>Not kept: atime and ctime (ctime cannot be set), sockets (no tar format holds them; the
 * service that owns one recreates it), inode flags such as chattr +i, and preallocated but
 * unwritten extents (SEEK_DATA reports them as holes, as GNU tar sees them too). Binary xattr
 * values travel in LIBARCHIVE.xattr records, which GNU tar skips with a warning (bsdtar and
 * Stowage restore them).
 */
public final class TreeWriter implements AutoCloseable {
    static final int BUFFER = 1 << 20;

    private final NativeBuffer buffer = new NativeBuffer(BUFFER);
    private final Map<FileStat.InodeKey, String> firstLinks = new HashMap<>();
    private final List<String> changed = new ArrayList<>();
    private TarArchiveOutputStream tar;
    private long entries;
    private long contentBytes;
    private long sparseFiles;
    private long hardlinks;
    private long sockets;

    private TreeWriter() {
    }

    /** Writes the tree under {@code root} to {@code out} (not closed; it is flushed). */
    public static TreeStats write(Path root, OutputStream out) throws IOException {
        try (TreeWriter writer = new TreeWriter()) {
            return writer.run(root, out);
        }
    }

    private TreeStats run(Path root, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(new NonClosing(out), BUFFER);
        tar = new TarArchiveOutputStream(buffered, StandardCharsets.ISO_8859_1.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        TreeWalk.walk(root, this::add);
        tar.finish();
        tar.close();
        out.flush();
        return new TreeStats(entries, contentBytes, sparseFiles, hardlinks, sockets, changed);
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
        TreeEntry entry = entry(name, TarConstants.LF_NORMAL, stat, xattrs);
        SparseMap map = stat.mayBeSparse() && file.canFindHoles() ? SparseMap.scan(file, stat.size()) : null;
        if (map == null || map.isDense(stat.size())) {
            entry.setSize(stat.size());
            tar.putArchiveEntry(entry);
            copy(name, file, 0, stat.size());
        } else {
            byte[] header = map.header(stat.size());
            entry.putPax("GNU.sparse.major", "1");
            entry.putPax("GNU.sparse.minor", "0");
            entry.putPax("GNU.sparse.realsize", Long.toString(stat.size()));
            entry.setSize(header.length + map.dataBytes());
            tar.putArchiveEntry(entry);
            tar.write(header);
            for (int i = 0; i < map.count(); i++) {
                copy(name, file, map.offset(i), map.length(i));
            }
            sparseFiles++;
        }
        tar.closeArchiveEntry();
        entries++;
    }

    /** Copies {@code length} bytes at {@code offset}; a file that shrank meanwhile is padded with zeros. */
    private void copy(String name, FileHandle file, long offset, long length) throws IOException {
        byte[] bytes = buffer.array();
        long done = 0;
        while (done < length) {
            int want = (int) Math.min(bytes.length, length - done);
            int n = file.read(buffer, want, offset + done);
            if (n == 0) {
                noteChanged(name);
                java.util.Arrays.fill(bytes, 0, want, (byte) 0);
                n = want;
            }
            tar.write(bytes, 0, n);
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
        PaxXattrs.put(entry.pax(), xattrs);
        return entry;
    }

    private static void describe(TreeEntry entry, FileStat stat) {
        entry.setMode(stat.permissions());
        entry.setUserId(Integer.toUnsignedLong(stat.uid()));
        entry.setGroupId(Integer.toUnsignedLong(stat.gid()));
        entry.setMtime(stat.mtimeSeconds(), stat.mtimeNanos());
    }

    private void put(TreeEntry entry) throws IOException {
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
        entries++;
    }

    @Override
    public void close() {
        buffer.close();
    }

    /** Keeps the caller's stream open when the tar stream is closed (the caller owns it). */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
