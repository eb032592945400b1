package dev.stowage.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A layer's tar rebuilt byte for byte from its tar-split record and the layer's files, as the
 * engine itself rebuilds it for {@code docker save}: the record holds every header and padding
 * byte (type 2 segments, base64) and, for each file, its name and length (type 1 entries); the
 * content comes from the file of that name under the layer's directory.
 *
 * <p>Nothing here checks the result: the caller hashes it and compares with the layer's diff-id,
 * which no other tar can match. A file of another length than its record is reported at once.
 * Names are resolved lexically (as the engine does) and must stay under the root; the last
 * component is opened without following a symlink.
 */
final class TarSplitStream extends InputStream {
    private static final ObjectReader ENTRIES = new ObjectMapper().readerFor(Entry.class);
    private static final int FILE = 1;
    private static final int SEGMENT = 2;

    private final Path root;
    private final MappingIterator<Entry> entries;
    private byte[] segment = new byte[0];
    private int segmentAt;
    private FileChannel file;
    private String fileName;
    private long fileLeft;

    /** One line of the record; file entries carry a CRC-64 in {@code payload}, which is not needed here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(@JsonProperty("type") int type, @JsonProperty("name") String name,
            @JsonProperty("name_raw") byte[] nameRaw, @JsonProperty("size") long size,
            @JsonProperty("payload") byte[] payload) {
        String path() {
            // tar-split keeps a name that is not UTF-8 as raw bytes; Java paths here are UTF-8 anyway.
            return nameRaw != null && nameRaw.length > 0 ? new String(nameRaw, StandardCharsets.UTF_8) : name;
        }
    }

    /**
     * @param record the uncompressed tar-split JSON lines
     * @param root the directory holding the layer's files (overlay2: its diff directory)
     */
    TarSplitStream(InputStream record, Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.entries = ENTRIES.readValues(record);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Fills as much of {@code buffer} as the tar has left: the sources are files, not sockets. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int filled = 0;
        while (filled < length) {
            int n = readSome(buffer, offset + filled, length - filled);
            if (n < 0) {
                return filled == 0 ? -1 : filled;
            }
            filled += n;
        }
        return filled;
    }

    private int readSome(byte[] buffer, int offset, int length) throws IOException {
        while (true) {
            if (segmentAt < segment.length) {
                int n = Math.min(length, segment.length - segmentAt);
                System.arraycopy(segment, segmentAt, buffer, offset, n);
                segmentAt += n;
                return n;
            }
            if (file != null) {
                if (fileLeft == 0) {
                    file.close();
                    file = null;
                    continue;
                }
                int n = file.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, fileLeft)));
                if (n < 0) {
                    throw new IOException("layer file " + fileName + " is shorter than its tar-split record says");
                }
                fileLeft -= n;
                return n;
            }
            if (!next()) {
                return -1;
            }
        }
    }

    private boolean next() throws IOException {
        if (!entries.hasNextValue()) {
            return false;
        }
        Entry entry = entries.nextValue();
        if (entry.type() == SEGMENT) {
            segment = entry.payload() == null ? new byte[0] : entry.payload();
            segmentAt = 0;
        } else if (entry.type() == FILE && entry.size() > 0) {
            open(entry.path(), entry.size());
        } else if (entry.type() != FILE) {
            throw new IOException("tar-split record has an entry of unknown type " + entry.type());
        }
        return true;
    }

    private void open(String name, long size) throws IOException {
        Path path = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IOException("tar-split record names " + name + ", outside the layer");
        }
        FileChannel opened = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        long actual = opened.size();
        if (actual != size) {
            opened.close();
            throw new IOException("layer file " + name + " is " + actual + " bytes, its tar-split record says " + size);
        }
        file = opened;
        fileName = name;
        fileLeft = size;
    }

    @Override
    public void close() throws IOException {
        try {
            entries.close();
        } finally {
            if (file != null) {
                file.close();
                file = null;
            }
        }
    }
}
