package dev.stowage.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What {@code statx} says about one inode, without following a final symlink.
 *
 * @param permissions the 07777 bits: rwx for all three classes plus setuid, setgid and sticky
 * @param blocks 512-byte blocks allocated; fewer than the size needs means the file has holes
 * @param mtimeNanos nanoseconds within {@code mtimeSeconds}
 */
public record FileStat(FileType type, int permissions, int uid, int gid, long nlink, long inode,
        long devMajor, long devMinor, long rdevMajor, long rdevMinor, long size, long blocks,
        long mtimeSeconds, int mtimeNanos) {

    /** Decodes a {@code struct statx} (the kernel ABI: the same layout on every 64-bit arch). */
    static FileStat decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        int mode = Short.toUnsignedInt(b.getShort(28));
        return new FileStat(FileType.fromMode(mode), mode & 07777,
                b.getInt(20), b.getInt(24),
                Integer.toUnsignedLong(b.getInt(16)), b.getLong(32),
                Integer.toUnsignedLong(b.getInt(136)), Integer.toUnsignedLong(b.getInt(140)),
                Integer.toUnsignedLong(b.getInt(128)), Integer.toUnsignedLong(b.getInt(132)),
                b.getLong(40), b.getLong(48),
                b.getLong(112), b.getInt(120));
    }

    /** GNU tar's test: fewer blocks allocated than the size needs, so there may be holes. */
    public boolean mayBeSparse() {
        return type == FileType.REGULAR && blocks < (size + 511) / 512;
    }

    /** Identifies the inode for hardlink grouping: same device and inode number. */
    public InodeKey inodeKey() {
        return new InodeKey(devMajor, devMinor, inode);
    }

    /** A device and inode number pair. */
    public record InodeKey(long devMajor, long devMinor, long inode) {
    }
}
