package dev.stowage.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.ByteSize;
import org.junit.jupiter.api.Test;

class SpaceCheckTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Test
    void marginIsTwoPercentPlus256MiB() {
        assertEquals(ByteSize.of(100 * GIB / 50 + 256 * MIB), check(100 * GIB, 0).margin());
        assertEquals(ByteSize.of(256 * MIB), check(49, 0).margin());
    }

    @Test
    void fitsOnlyWhenNeedPlusMarginIsFree() {
        long need = 10 * GIB;
        long exact = need + need / 50 + 256 * MIB;

        assertTrue(check(need, exact).fits());
        assertFalse(check(need, exact - 1).fits());
    }

    @Test
    void nothingToWriteAlwaysFits() {
        assertTrue(check(0, 0).fits());
    }

    @Test
    void describeNamesTheFiguresAndTheVerdict() {
        assertEquals("export: needs 10.0 GiB (+460.8 MiB margin) on /data, 5.0 GiB free: DOES NOT FIT",
                check(10 * GIB, 5 * GIB).describe());
        assertTrue(check(1 * GIB, 5 * GIB).describe().endsWith(": fits"));
    }

    private static SpaceCheck check(long needed, long free) {
        return new SpaceCheck("export", "/data", ByteSize.of(needed), ByteSize.of(free));
    }
}
