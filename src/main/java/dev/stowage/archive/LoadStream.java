package dev.stowage.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Assembles a {@code docker load} tar from stored blobs on the fly: no archive is staged on disk.
 * The stream is {@code manifest.json}, then per image its layers not sent before, then its config.
 * Headers use base-256 sizes when a layer exceeds the 8 GiB octal limit, as GNU tar and Go do.
 */
public final class LoadStream {
    private static final int BLOCK = TarConstants.DEFAULT_RCDSIZE;
    private static final long MOD_TIME_MILLIS = 0L;

    /** One image to load: its config, the tags it should carry, its layers lowest first. */
    public record Item(BlobRef config, List<String> repoTags, List<BlobRef> layers) {
        public Item {
            repoTags = List.copyOf(repoTags);
            layers = List.copyOf(layers);
        }
    }

    /** Where blob content comes from; it must deliver exactly {@code blob.size()} bytes. */
    @FunctionalInterface
    public interface BlobSource {
        InputStream open(BlobRef blob) throws IOException;
    }

    private final List<Item> items;
    private final Map<Digest, BlobRef> blobs = new LinkedHashMap<>();
    private final Set<Digest> configs = new HashSet<>();
    private final byte[] manifest;

    public LoadStream(List<Item> items) {
        this.items = List.copyOf(items);
        for (Item item : this.items) {
            item.layers().forEach(layer -> blobs.putIfAbsent(layer.digest(), layer));
            blobs.putIfAbsent(item.config().digest(), item.config());
            configs.add(item.config().digest());
        }
        this.manifest = manifestJson(this.items);
    }

    /** Every blob, each once, in the order the stream reads them. */
    public List<BlobRef> blobOrder() {
        return List.copyOf(blobs.values());
    }

    /** The exact length of the tar {@link #open} produces. */
    public long length() {
        long length = BLOCK + padded(manifest.length);
        for (BlobRef blob : blobs.values()) {
            length += BLOCK + padded(blob.size());
        }
        return length + 2L * BLOCK;
    }

    public InputStream open(BlobSource source, TransferListener listener) {
        List<Supplier<InputStream>> parts = new ArrayList<>();
        parts.add(() -> new ByteArrayInputStream(header("manifest.json", manifest.length)));
        parts.add(() -> new ByteArrayInputStream(manifest));
        parts.add(() -> padding(manifest.length));
        for (BlobRef blob : blobs.values()) {
            parts.add(() -> new ByteArrayInputStream(header(entryName(blob), blob.size())));
            parts.add(() -> counted(source, blob, listener));
            parts.add(() -> padding(blob.size()));
        }
        parts.add(() -> new ByteArrayInputStream(new byte[2 * BLOCK]));
        Lazily lazily = new Lazily(parts.iterator());
        return new FilterInputStream(new SequenceInputStream(lazily)) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (UncheckedIOException e) {
                    throw e.getCause(); // a part that failed to open: surface its IOException
                }
            }

            @Override
            public void close() throws IOException {
                // SequenceInputStream.close() opens every remaining part just to close it; with a
                // verifying source that would re-hash every blob not sent yet. Stop the parts first.
                lazily.stop();
                super.close();
            }
        };
    }

    /** The tar path of a blob: layers by the name the engine's own save uses, configs as {@code <hex>.json}. */
    String entryName(BlobRef blob) {
        return configs.contains(blob.digest()) ? blob.digest().hex() + ".json" : blob.digest().hex() + "/layer.tar";
    }

    private byte[] manifestJson(List<Item> list) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode root = mapper.createArrayNode();
        for (Item item : list) {
            ObjectNode node = root.addObject();
            node.put("Config", item.config().digest().hex() + ".json");
            ArrayNode tags = node.putArray("RepoTags");
            item.repoTags().forEach(tags::add);
            ArrayNode layers = node.putArray("Layers");
            item.layers().forEach(layer -> layers.add(layer.digest().hex() + "/layer.tar"));
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream counted(BlobSource source, BlobRef blob, TransferListener listener) {
        InputStream in;
        try {
            in = source.open(blob);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FilterInputStream(in) {
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    listener.bytes(n);
                } else if (n < 0 && !done) {
                    done = true;
                    listener.blobDone(blob, true);
                }
                return n;
            }
        };
    }

    static byte[] header(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0100644);
        entry.setModTime(MOD_TIME_MILLIS);
        byte[] block = new byte[BLOCK];
        try {
            entry.writeEntryHeader(block, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return block;
    }

    private static InputStream padding(long size) {
        return new ByteArrayInputStream(new byte[(int) (padded(size) - size)]);
    }

    static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Opens each part only when the sequence reaches it; after {@link #stop} it offers no more. */
    private static final class Lazily implements Enumeration<InputStream> {
        private final Iterator<Supplier<InputStream>> parts;
        private boolean stopped;

        Lazily(Iterator<Supplier<InputStream>> parts) {
            this.parts = parts;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public boolean hasMoreElements() {
            return !stopped && parts.hasNext();
        }

        @Override
        public InputStream nextElement() {
            if (!hasMoreElements()) {
                throw new NoSuchElementException();
            }
            return parts.next().get();
        }
    }
}
