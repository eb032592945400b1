package dev.stowage.plan;

import dev.stowage.model.ByteSize;
import java.util.List;

/**
 * What a run needs on one filesystem, against what it has free.
 *
 * <p>The need is everything that stays plus the largest single staging: the daemon's staging of a
 * save or a load is released before the next phase starts, so two of them never coexist, but
 * each coexists with everything written before it. That is an upper bound of the peak.
 *
 * <p>The margin is 2 % of the need plus 5 % of the filesystem, at most 256 MiB: running a host's
 * disk to zero during a migration hurts more than refusing to start, and the cap keeps a small
 * dedicated disk usable. Inodes get the same rule (2 % plus 5 % of the filesystem, at most 10 000).
 */
public record FilesystemBudget(Filesystem filesystem, List<SpaceNeed> needs) {
    static final long MAX_FIXED_MARGIN = 256L << 20;
    static final long MAX_FIXED_INODE_MARGIN = 10_000;

    public FilesystemBudget {
        needs = List.copyOf(needs);
    }

    public long neededBytes() {
        return lasting(false) + largestStaging(false);
    }

    public long neededInodes() {
        return lasting(true) + largestStaging(true);
    }

    public long marginBytes() {
        long need = neededBytes();
        return need == 0 ? 0 : need / 50 + Math.min(MAX_FIXED_MARGIN, filesystem.totalBytes() / 20);
    }

    public long marginInodes() {
        long need = neededInodes();
        return need == 0 || !filesystem.countsInodes() ? 0
                : need / 50 + Math.min(MAX_FIXED_INODE_MARGIN, filesystem.totalInodes() / 20);
    }

    public boolean bytesFit() {
        return neededBytes() == 0 || neededBytes() + marginBytes() <= filesystem.freeBytes();
    }

    public boolean inodesFit() {
        return !filesystem.countsInodes() || neededInodes() == 0
                || neededInodes() + marginInodes() <= filesystem.freeInodes();
    }

    public boolean fits() {
        return bytesFit() && inodesFit();
    }

    /** {@code fits}, {@code NO SPACE}, {@code NO INODES}: the verdict column. */
    public String verdict() {
        if (!bytesFit()) {
            return "NO SPACE";
        }
        return inodesFit() ? "fits" : "NO INODES";
    }

    /** One sentence for an error or a log: what is needed where, and what is free. */
    public String describe() {
        StringBuilder text = new StringBuilder(String.format("%s needs %s (+%s margin), %s free",
                filesystem.mountPoint(), ByteSize.of(neededBytes()).human(), ByteSize.of(marginBytes()).human(),
                ByteSize.of(filesystem.freeBytes()).human()));
        if (filesystem.countsInodes() && neededInodes() > 0) {
            text.append(String.format("; %d inodes (+%d), %d free", neededInodes(), marginInodes(),
                    filesystem.freeInodes()));
        }
        return text.append(": ").append(verdict()).toString();
    }

    private long lasting(boolean inodes) {
        return needs.stream().filter(n -> !n.staging()).mapToLong(n -> inodes ? n.inodes() : n.bytes()).sum();
    }

    private long largestStaging(boolean inodes) {
        return needs.stream().filter(SpaceNeed::staging).mapToLong(n -> inodes ? n.inodes() : n.bytes()).max()
                .orElse(0);
    }
}
