package dev.stowage.plan;

import java.util.Objects;

/**
 * One filesystem a run writes to, as statvfs saw it when the plan was made.
 *
 * @param device the identity that tells filesystems apart ({@code MAJ:MIN}); two paths with the
 *     same device share one budget
 * @param mountPoint where it is mounted, as the operator knows it
 * @param freeBytes what may still be written ({@code f_bavail}); root may dip into the reserved
 *     blocks beyond it, which the plan deliberately leaves alone
 * @param totalInodes 0 where inodes are allocated on demand (btrfs, xfs with imaxpct=0...): no inode check
 */
public record Filesystem(String device, String mountPoint, long freeBytes, long totalBytes, long freeInodes,
        long totalInodes) {
    public Filesystem {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mountPoint, "mountPoint");
    }

    public boolean countsInodes() {
        return totalInodes > 0;
    }
}
