package dev.stowage.archive;

import dev.stowage.fs.FileHandle;
import dev.stowage.fs.FileStat;
import dev.stowage.fs.FileType;
import dev.stowage.fs.NativeBuffer;
import dev.stowage.fs.Names;
import dev.stowage.model.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * A SHA-256 over everything {@link TreeWriter} keeps of a tree, in walk order: per inode its path,
 * type, 07777 mode, uid, gid, mtime (ns), xattrs (sorted, raw), and then the symlink target, the
 * device numbers, the first path of its hardlink group, or the size and content of a file. Equal
 * trees give equal digests on any filesystem; any kept difference changes it. So {@code verify}
 * can compare a volume before export and after import without an archive.
 *
 * <p>Content is hashed sparse-insensitively: the file is cut into 4 KiB blocks at fixed offsets,
 * and only blocks with a non-zero byte are hashed (with their offset), so a hole and written
 * zeros give the same digest, and holes are skipped via SEEK_DATA, never read. Not covered
 * (like the archive): atime, ctime, inode numbers, link counts, directory sizes, and sockets.
 */
public final class TreeDigest implements AutoCloseable {
    private static final int BLOCK = 4096;
    private static final byte[] ZERO = new byte[BLOCK];

    private final MessageDigest tree = BlobStore.sha256();
    private final MessageDigest content = BlobStore.sha256();
    private final NativeBuffer buffer = new NativeBuffer(TreeWriter.BUFFER);
    private final Map<FileStat.InodeKey, byte[]> firstLinks = new HashMap<>();
    private final ByteBuffer scratch = ByteBuffer.allocate(64);

    private TreeDigest() {
    }

    public static Digest of(Path root) throws IOException {
        try (TreeDigest digest = new TreeDigest()) {
            TreeWalk.walk(root, digest::add);
            return Digest.of(digest.tree.digest());
        }
    }

    private void add(TreeNode node) throws IOException {
        FileStat stat = node.stat();
        if (stat.type() == FileType.SOCKET) {
            return;
        }
        bytes(node.path());
        scratch.clear();
        scratch.putInt(stat.type().ordinal()).putInt(stat.permissions())
                .putLong(Integer.toUnsignedLong(stat.uid())).putLong(Integer.toUnsignedLong(stat.gid()))
                .putLong(stat.mtimeSeconds()).putInt(stat.mtimeNanos());
        flush();
        if (stat.type() != FileType.DIRECTORY && stat.nlink() > 1) {
            byte[] first = firstLinks.putIfAbsent(stat.inodeKey(), node.path());
            if (first != null) {
                longValue(-1);
                bytes(first); // same inode: its metadata is the first name's
                return;
            }
        }
        switch (stat.type()) {
            case REGULAR:
                try (FileHandle file = node.open()) {
                    xattrs(node.xattrs(file));
                    longValue(stat.size());
                    tree.update(contentDigest(file, stat.size()));
                }
                break;
            case SYMLINK:
                xattrs(node.xattrs(null));
                bytes(node.linkTarget());
                break;
            case CHAR_DEVICE:
            case BLOCK_DEVICE:
                xattrs(node.xattrs(null));
                longValue(stat.rdevMajor());
                longValue(stat.rdevMinor());
                break;
            default:
                xattrs(node.xattrs(null));
        }
    }

    private byte[] contentDigest(FileHandle file, long size) throws IOException {
        content.reset();
        boolean holes = file.canFindHoles();
        long next = 0; // every block before this one is hashed (or known to be a hole)
        while (next < size) {
            long data = holes ? file.nextData(next) : next;
            if (data < 0 || data >= size) {
                break;
            }
            long end = holes ? Math.min(file.nextHole(data), size) : size;
            long block = Math.max(next, data / BLOCK * BLOCK);
            long stop = Math.min(size, (end + BLOCK - 1) / BLOCK * BLOCK);
            while (block < stop) {
                int want = (int) Math.min(buffer.size(), stop - block);
                int n = file.read(buffer, want, block);
                hashBlocks(block, n);
                if (n < want) {
                    return content.digest(); // shrank while read; the size already went into the digest
                }
                block += n;
            }
            next = stop;
        }
        return content.digest();
    }

    private void hashBlocks(long offset, int length) {
        byte[] bytes = buffer.array();
        ByteBuffer position = ByteBuffer.allocate(Long.BYTES);
        for (int start = 0; start < length; start += BLOCK) {
            int n = Math.min(BLOCK, length - start);
            if (Arrays.mismatch(bytes, start, start + n, ZERO, 0, n) < 0) {
                continue;
            }
            position.clear();
            content.update(position.putLong(offset + start).array());
            content.update(bytes, start, n);
        }
    }

    private void xattrs(SortedMap<String, byte[]> xattrs) {
        longValue(xattrs.size());
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            bytes(Names.bytes(xattr.getKey()));
            bytes(xattr.getValue());
        }
    }

    private void bytes(byte[] value) {
        longValue(value.length);
        tree.update(value);
    }

    private void longValue(long value) {
        scratch.clear();
        scratch.putLong(value);
        flush();
    }

    private void flush() {
        tree.update(scratch.array(), 0, scratch.position());
    }

    @Override
    public void close() {
        buffer.close();
    }
}
