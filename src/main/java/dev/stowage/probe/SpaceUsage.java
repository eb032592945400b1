package dev.stowage.probe;

import com.sun.jna.LastErrorException;
import com.sun.jna.platform.linux.LibC;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Space, inodes and the read-only flag of a filesystem, from statvfs(3). The JDK's FileStore has
 * the bytes but neither the inode counts nor the flag.
 *
 * @param availableBytes what an unprivileged writer may still use ({@code f_bavail})
 * @param inodes total inodes; 0 on filesystems that allocate them on demand (btrfs), where the
 *     inode checks do not apply
 */
public record SpaceUsage(long totalBytes, long availableBytes, long inodes, long availableInodes,
        boolean readOnly) {
    private static final long ST_RDONLY = 1;

    /** Empty if statvfs fails or JNA cannot load (e.g. its native library on a noexec tmp). */
    public static Optional<SpaceUsage> of(Path path) {
        try {
            LibC.Statvfs s = new LibC.Statvfs();
            if (LibC.INSTANCE.statvfs(path.toString(), s) != 0) {
                return Optional.empty();
            }
            long fragment = s.f_frsize.longValue() != 0 ? s.f_frsize.longValue() : s.f_bsize.longValue();
            return Optional.of(new SpaceUsage(s.f_blocks.longValue() * fragment, s.f_bavail.longValue() * fragment,
                    s.f_files.longValue(), s.f_favail.longValue(), (s.f_flag.longValue() & ST_RDONLY) != 0));
        } catch (LastErrorException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    public double availableFraction() {
        return totalBytes <= 0 ? 1 : (double) availableBytes / totalBytes;
    }

    public double availableInodeFraction() {
        return inodes <= 0 ? 1 : (double) availableInodes / inodes;
    }
}
