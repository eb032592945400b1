package dev.stowage.archive;

import dev.stowage.fs.ErrnoException;
import dev.stowage.fs.FileHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The data regions of a file with holes, as SEEK_DATA/SEEK_HOLE report them, and their PAX 1.0
 * sparse-map form: the region count, then offset and length of each, one decimal per line, padded
 * to a 512-byte block, at the start of the entry's data. A last (size, 0) region records a
 * trailing hole, as GNU tar does.
 */
final class SparseMap {
    private long[] regions = new long[16];
    private int count;

    private SparseMap() {
    }

    static SparseMap scan(FileHandle file, long size) throws ErrnoException {
        SparseMap map = new SparseMap();
        long offset = 0;
        while (offset < size) {
            long data = file.nextData(offset);
            if (data < 0 || data >= size) {
                break;
            }
            long hole = Math.min(file.nextHole(data), size);
            map.add(data, hole - data);
            offset = hole;
        }
        return map;
    }

    private void add(long offset, long length) {
        if (2 * count + 2 > regions.length) {
            regions = Arrays.copyOf(regions, regions.length * 2);
        }
        regions[2 * count] = offset;
        regions[2 * count + 1] = length;
        count++;
    }

    int count() {
        return count;
    }

    long offset(int i) {
        return regions[2 * i];
    }

    long length(int i) {
        return regions[2 * i + 1];
    }

    /** No holes at all: the file is better written as a plain entry. */
    boolean isDense(long size) {
        return size == 0 || (count == 1 && offset(0) == 0 && length(0) == size);
    }

    long dataBytes() {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += length(i);
        }
        return total;
    }

    byte[] header(long size) {
        StringBuilder text = new StringBuilder();
        text.append(count + 1).append('\n');
        for (int i = 0; i < count; i++) {
            text.append(offset(i)).append('\n').append(length(i)).append('\n');
        }
        text.append(size).append('\n').append(0).append('\n');
        byte[] raw = text.toString().getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(raw, (raw.length + 511) / 512 * 512);
    }
}
