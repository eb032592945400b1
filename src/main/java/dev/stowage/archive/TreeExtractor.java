package dev.stowage.archive;

import dev.stowage.fs.DirHandle;
import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileHandle;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import dev.stowage.fs.NativeBuffer;
import dev.stowage.fs.Names;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.model.WritableLayer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveStructSparse;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Extracts a tree archive (as {@link TreeWriter} makes them) into a root directory, restoring
 * owners, modes, nanosecond mtimes, xattrs, hardlinks, symlinks, fifos, devices if allowed, and
 * holes; and refusing, with an {@link UnsafeEntryException}, any entry that would land outside
 * the root.
 *
 * <p>Safety does not rest on checking paths as strings: every directory is opened from its parent
 * with O_NOFOLLOW (see {@link DirStack}), and every final component is made with a call that does
 * not follow it (O_CREAT|O_EXCL, mkdirat, symlinkat, mknodat, linkat without AT_SYMLINK_FOLLOW,
 * AT_SYMLINK_NOFOLLOW for owner and times). A refused entry may come after good ones, which stay:
 * callers extract into a fresh directory and discard it on failure.
 *
 * <p>Order matters for fidelity: data, then owner (chown clears setuid bits and file
 * capabilities), then mode, then xattrs, then mtime; a directory's mtime and default ACL once its
 * contents are in. The filesystem is synced once at the end.
 */
public final class TreeExtractor implements AutoCloseable {
    private final NativeBuffer buffer = new NativeBuffer(TreeWriter.BUFFER);
    private final String root;
    private final DevicePolicy devices;
    private final WritableLayer.Kind layer;
    private long entries;
    private long contentBytes;
    private long sparseFiles;
    private long hardlinks;

    private TreeExtractor(String root, DevicePolicy devices, WritableLayer.Kind layer) {
        this.root = root;
        this.devices = devices;
        this.layer = layer;
    }

    /** Extracts the uncompressed tar {@code in} (read to its end, not closed) into existing {@code root}. */
    public static TreeStats extract(InputStream in, Path root, DevicePolicy devices) throws IOException {
        return extract(in, root, devices, null);
    }

    /**
     * Applies an image-format layer tar to a container's writable layer: whiteouts become overlayfs
     * whiteouts (0/0 character devices, the opaque xattr) in an overlay upper directory, and real
     * deletions in a full root filesystem (vfs, btrfs).
     */
    public static TreeStats applyLayer(InputStream in, Path root, WritableLayer.Kind kind) throws IOException {
        return extract(in, root, DevicePolicy.CREATE, kind);
    }

    private static TreeStats extract(InputStream in, Path root, DevicePolicy devices, WritableLayer.Kind layer)
            throws IOException {
        try (TreeExtractor extractor = new TreeExtractor(root.toString(), devices, layer);
                DirHandle rootDir = DirHandle.open(root);
                DirStack stack = new DirStack(rootDir, root.toString())) {
            TarArchiveInputStream tar = new TarArchiveInputStream(new Buffered(in), StandardCharsets.ISO_8859_1.name());
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                extractor.extract(entry, tar, stack);
            }
            stack.finishAll();
            rootDir.syncFilesystem();
            return new TreeStats(extractor.entries, extractor.contentBytes, extractor.sparseFiles,
                    extractor.hardlinks, 0, List.of());
        } catch (ErrnoException e) {
            if (e.isNoSpace()) {
                throw new StowageException(ExitCode.NO_SPACE, "no space left while extracting into " + root
                        + ": " + e.getMessage(), "free space on the target filesystem, then import again", e);
            }
            throw e;
        }
    }

    private void extract(TarArchiveEntry entry, InputStream tar, DirStack stack) throws IOException {
        String name = entry.getName();
        List<byte[]> path = EntryPath.components(name, name, root);
        SortedMap<String, byte[]> xattrs = PaxXattrs.get(entry.getExtraPaxHeaders());
        entries++;
        if (entry.isDirectory()) {
            extractDirectory(entry, path, stack, xattrs);
            return;
        }
        if (path.isEmpty()) {
            throw new UnsafeEntryException(name, "it names the root itself but is not a directory", root);
        }
        if (layer != null && Names.latin1(path.get(path.size() - 1)).startsWith(LayerPaths.WHITEOUT_PREFIX)) {
            whiteout(path, name, stack);
            return;
        }
        if ((entry.isCharacterDevice() || entry.isBlockDevice()) && devices != DevicePolicy.CREATE) {
            throw new UnsafeEntryException(name, "it is a device node, and device nodes are not allowed here", root);
        }
        if (entry.isLink()) {
            List<byte[]> target = EntryPath.components(entry.getLinkName(), name, root);
            DirHandle parent = stack.enter(path, path.size() - 1, name);
            link(entry, path.get(path.size() - 1), parent, target, stack);
            hardlinks++;
            return;
        }
        DirHandle parent = stack.enter(path, path.size() - 1, name);
        byte[] leaf = path.get(path.size() - 1);
        if (isRegular(entry)) {
            try (FileHandle file = createFile(parent, leaf)) {
                writeContent(entry, tar, file);
                file.chown((int) entry.getLongUserId(), (int) entry.getLongGroupId());
                file.chmod(entry.getMode());
                for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
                    file.setXattr(xattr.getKey(), xattr.getValue());
                }
                file.setMtime(seconds(entry), nanos(entry));
            }
            return;
        }
        if (!entry.isSymbolicLink() && !entry.isFIFO() && !entry.isCharacterDevice() && !entry.isBlockDevice()) {
            throw new UnsafeEntryException(name, "its type '" + (char) entry.getLinkFlag()
                    + "' is not one Stowage writes", root);
        }
        replacing(parent, leaf, () -> createSpecial(entry, parent, leaf));
        parent.chown(leaf, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
        if (!entry.isSymbolicLink()) {
            parent.chmod(leaf, entry.getMode());
        }
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            parent.setXattr(leaf, xattr.getKey(), xattr.getValue());
        }
        parent.setMtime(leaf, seconds(entry), nanos(entry));
    }

    private static void createSpecial(TarArchiveEntry entry, DirHandle parent, byte[] leaf) throws ErrnoException {
        if (entry.isSymbolicLink()) {
            parent.createSymlink(leaf, Names.bytes(entry.getLinkName()));
        } else if (entry.isFIFO()) {
            parent.createFifo(leaf, 0600);
        } else {
            parent.createDevice(leaf, entry.isBlockDevice() ? FileType.BLOCK_DEVICE : FileType.CHAR_DEVICE, 0600,
                    entry.getDevMajor(), entry.getDevMinor());
        }
    }

    private static FileHandle createFile(DirHandle parent, byte[] leaf) throws IOException {
        FileHandle[] created = new FileHandle[1];
        replacing(parent, leaf, () -> created[0] = parent.createFile(leaf, 0600));
        return created[0];
    }

    /** A create call that fails with EEXIST when an earlier entry left something under the name. */
    private interface Create {
        void run() throws ErrnoException;
    }

    /**
     * Creates optimistically (an archive rarely repeats a name, and a failed stat per entry would
     * cost more than the entry), and on EEXIST removes what is there, as tar does, and retries.
     * The removal never follows a symlink; a non-empty directory is not removed and fails.
     */
    private static void replacing(DirHandle parent, byte[] leaf, Create create) throws IOException {
        try {
            create.run();
            return;
        } catch (ErrnoException e) {
            if (!e.isExists()) {
                throw e;
            }
        }
        clear(parent, leaf); // a directory an earlier layer made, with what it holds, as tar does for duplicates
        create.run();
    }

    private void extractDirectory(TarArchiveEntry entry, List<byte[]> path, DirStack stack,
            SortedMap<String, byte[]> xattrs) throws IOException {
        DirHandle dir = stack.enterAsEntry(path, entry.getName());
        dir.chown((int) entry.getLongUserId(), (int) entry.getLongGroupId());
        dir.chmod(entry.getMode());
        byte[] defaultAcl = null;
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            if (xattr.getKey().equals(DirStack.DEFAULT_ACL)) {
                defaultAcl = xattr.getValue(); // set after the children, or they would inherit it
            } else {
                dir.setXattr(xattr.getKey(), xattr.getValue());
            }
        }
        stack.setPending(new DirStack.Pending(seconds(entry), nanos(entry), defaultAcl));
    }

    private void link(TarArchiveEntry entry, byte[] leaf, DirHandle parent, List<byte[]> target, DirStack stack)
            throws IOException {
        String name = entry.getName();
        if (target.isEmpty()) {
            throw new UnsafeEntryException(name, "it is a hardlink to the root directory", root);
        }
        DirHandle targetDir = stack.openExisting(target, target.size() - 1, name);
        try {
            DirHandle from = targetDir == null ? stack.root() : targetDir;
            byte[] targetLeaf = target.get(target.size() - 1);
            FileStat targetStat;
            try {
                targetStat = from.stat(targetLeaf);
            } catch (ErrnoException e) {
                if (e.isNotFound()) {
                    throw new UnsafeEntryException(name, "its hardlink target '" + Names.display(entry.getLinkName())
                            + "' is not in the archive before it", root);
                }
                throw e;
            }
            if (targetStat.type() == FileType.DIRECTORY) {
                throw new UnsafeEntryException(name, "it is a hardlink to a directory", root);
            }
            // linkat without AT_SYMLINK_FOLLOW: a target that is a symlink is linked itself, never followed
            replacing(parent, leaf, () -> parent.createLink(leaf, from, targetLeaf));
        } finally {
            if (targetDir != null) {
                targetDir.close();
            }
        }
    }

    /** Removes whatever is under {@code leaf} (a directory with all it holds), as tar does for duplicates. */
    private static void clear(DirHandle parent, byte[] leaf) throws IOException {
        try {
            FileStat existing = parent.stat(leaf);
            if (existing.type() == FileType.DIRECTORY) {
                try (DirHandle dir = parent.openDir(leaf)) {
                    empty(dir);
                }
            }
            parent.remove(leaf, existing.type() == FileType.DIRECTORY);
        } catch (ErrnoException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /** Deletes everything inside {@code dir}, never following a symlink (each level opened O_NOFOLLOW). */
    private static void empty(DirHandle dir) throws IOException {
        for (byte[] child : dir.list()) {
            clear(dir, child);
        }
    }

    /** {@code .wh.<name>} deletes {@code <name>}; {@code .wh..wh..opq} hides the directory's lower content. */
    private void whiteout(List<byte[]> path, String name, DirStack stack) throws IOException {
        DirHandle parent = stack.enter(path, path.size() - 1, name);
        String marker = Names.latin1(path.get(path.size() - 1));
        if (marker.equals(LayerPaths.OPAQUE)) {
            if (layer == WritableLayer.Kind.OVERLAY) {
                parent.setXattr(LayerPaths.OVERLAY_OPAQUE_XATTR, new byte[] {'y'});
            } else {
                empty(parent);
            }
            return;
        }
        byte[] target = Names.bytes(marker.substring(LayerPaths.WHITEOUT_PREFIX.length()));
        clear(parent, target);
        if (layer == WritableLayer.Kind.OVERLAY) {
            parent.createDevice(target, FileType.CHAR_DEVICE, 0, 0, 0);
        }
    }

    private void writeContent(TarArchiveEntry entry, InputStream tar, FileHandle file) throws IOException {
        if (!entry.isSparse()) {
            copy(tar, file, 0, entry.getSize(), entry);
            return;
        }
        long position = 0;
        for (TarArchiveStructSparse region : entry.getOrderedSparseHeaders()) {
            skip(tar, region.getOffset() - position, entry);
            copy(tar, file, region.getOffset(), region.getNumbytes(), entry);
            position = region.getOffset() + region.getNumbytes();
        }
        file.truncate(entry.getRealSize());
        sparseFiles++;
    }

    private void copy(InputStream tar, FileHandle file, long offset, long length, TarArchiveEntry entry)
            throws IOException {
        byte[] bytes = buffer.array();
        long done = 0;
        while (done < length) {
            int n = tar.read(bytes, 0, (int) Math.min(bytes.length, length - done));
            if (n < 0) {
                throw truncated(entry);
            }
            file.write(buffer, n, offset + done);
            done += n;
        }
        contentBytes += length;
    }

    private static void skip(InputStream tar, long count, TarArchiveEntry entry) throws IOException {
        for (long left = count; left > 0; ) {
            long n = tar.skip(left);
            if (n <= 0) {
                throw truncated(entry);
            }
            left -= n;
        }
    }

    private static StowageException truncated(TarArchiveEntry entry) {
        return new StowageException(ExitCode.VERIFY, "the archive ends inside entry '"
                + Names.display(entry.getName()) + "'", "the archive is truncated; export the data again");
    }

    /** commons-compress calls anything not a directory a file; only these type flags are data. */
    private static boolean isRegular(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG
                || flag == TarConstants.LF_GNUTYPE_SPARSE;
    }

    private static long seconds(TarArchiveEntry entry) {
        return entry.getLastModifiedTime().toInstant().getEpochSecond();
    }

    private static int nanos(TarArchiveEntry entry) {
        return entry.getLastModifiedTime().toInstant().getNano();
    }

    @Override
    public void close() {
        buffer.close();
    }

    /**
     * commons-compress asks {@code available()} once per entry; passed down to a file stream that
     * is an fstat and an lseek each time, 100k system calls for a 50k-file volume. What is
     * buffered is answer enough.
     */
    private static final class Buffered extends BufferedInputStream {
        Buffered(InputStream in) {
            super(in, TreeWriter.BUFFER);
        }

        @Override
        public synchronized int available() {
            return count - pos;
        }
    }
}
