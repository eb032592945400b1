package dev.stowage.plan;

import dev.stowage.model.ByteSize;

/**
 * Whether {@code needed} bytes fit on a filesystem with {@code free} bytes usable, keeping a
 * margin: 2 % of the need plus 256 MiB, because running a host's disk to zero during a migration
 * hurts more than refusing to start.
 */
public record SpaceCheck(String what, String where, ByteSize needed, ByteSize free) {
    private static final long FIXED_MARGIN = 256L << 20;

    public ByteSize margin() {
        return ByteSize.of(needed.bytes() / 50 + FIXED_MARGIN);
    }

    public boolean fits() {
        return needed.bytes() == 0 || needed.plus(margin()).compareTo(free) <= 0;
    }

    public String describe() {
        return String.format("%s: needs %s (+%s margin) on %s, %s free: %s", what, needed.human(),
                margin().human(), where, free.human(), fits() ? "fits" : "DOES NOT FIT");
    }
}
