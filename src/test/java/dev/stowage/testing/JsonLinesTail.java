package dev.stowage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a file of JSON lines that another process appends to (a journal, a {@code --json}
 * output), from outside: each {@link #poll} returns the lines completed since the last one. A line
 * still being written is kept until its newline arrives.
 */
public final class JsonLinesTail {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long offset;

    public JsonLinesTail(Path file) {
        this.file = file;
    }

    /** A tail that skips what the file holds now: only lines appended from here on are returned. */
    public static JsonLinesTail fromEnd(Path file) {
        JsonLinesTail tail = new JsonLinesTail(file);
        try {
            tail.offset = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tail;
    }

    public List<JsonNode> poll() {
        List<JsonNode> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            channel.position(offset);
            for (int n; (n = channel.read(buffer)) > 0; buffer.clear()) {
                offset += n;
                for (int i = 0; i < n; i++) {
                    byte b = buffer.get(i);
                    if (b != '\n') {
                        partial.write(b);
                        continue;
                    }
                    String line = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                    if (!line.isBlank()) {
                        lines.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
