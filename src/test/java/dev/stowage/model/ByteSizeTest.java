package dev.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void humanUsesBinaryUnitsWithOneDecimal() {
        assertEquals("0 B", ByteSize.of(0).human());
        assertEquals("1023 B", ByteSize.of(1023).human());
        assertEquals("1.0 KiB", ByteSize.of(1024).human());
        assertEquals("1.5 KiB", ByteSize.of(1536).human());
        assertEquals("1.0 MiB", ByteSize.of(1L << 20).human());
        assertEquals("1.5 GiB", ByteSize.of(3L << 29).human());
        assertEquals("2.0 TiB", ByteSize.of(2L << 40).human());
        assertEquals("8192.0 PiB", ByteSize.of(Long.MAX_VALUE).human(), "the largest unit stops at PiB");
        assertEquals("1.0 GiB", ByteSize.of(1L << 30).toString());
    }

    @Test
    void rateIsBytesPerSecond() {
        assertEquals("10.0 MiB/s", ByteSize.of(20L << 20).rate(2_000_000_000L));
        assertEquals("-", ByteSize.of(1).rate(0));
    }

    @Test
    void arithmeticNeverGoesNegativeOrWraps() {
        assertEquals(ByteSize.of(3), ByteSize.of(1).plus(ByteSize.of(2)));
        assertEquals(ByteSize.ZERO, ByteSize.of(1).minus(ByteSize.of(2)));
        assertThrows(ArithmeticException.class, () -> ByteSize.of(Long.MAX_VALUE).plus(ByteSize.of(1)));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.of(-1));
    }

    @Test
    void serializesAsAPlainNumber() throws Exception {
        assertEquals("1536", Json.mapper().writeValueAsString(ByteSize.of(1536)));
        assertEquals(ByteSize.of(1536), Json.mapper().readValue("1536", ByteSize.class));
    }
}
