package dev.stowage.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A count of bytes, printed in binary units the way an operator reads them. */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    public static final ByteSize ZERO = new ByteSize(0);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative byte count: " + bytes);
        }
    }

    @JsonCreator
    public static ByteSize of(long bytes) {
        return new ByteSize(bytes);
    }

    @JsonValue
    public long bytes() {
        return bytes;
    }

    public ByteSize plus(ByteSize other) {
        return new ByteSize(Math.addExact(bytes, other.bytes));
    }

    public ByteSize minus(ByteSize other) {
        return new ByteSize(Math.max(0, bytes - other.bytes));
    }

    /** {@code 1.5 GiB}, {@code 512 B}: one decimal above bytes. */
    public String human() {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** Bytes per second over {@code nanos}, as a human rate such as {@code 120.3 MiB/s}. */
    public String rate(long nanos) {
        if (nanos <= 0) {
            return "-";
        }
        return of((long) (bytes / (nanos / 1e9))).human() + "/s";
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return human();
    }
}
