package dev.stowage.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Splits a {@code docker save} stream into blobs as it arrives, without staging the archive.
 *
 * <p>Layer tars ({@code <dir>/layer.tar}, or {@code blobs/sha256/<hex>} in the OCI layout newer
 * engines write) and image configs ({@code <hex>.json}) go into the {@link BlobStore}, hashed on
 * the way. The engine links a layer that several images share ({@code layer.tar ->
 * ../<dir>/layer.tar}), and the link may come before its target, so paths are resolved only once
 * {@code manifest.json} has been read.
 */
public final class SaveStream {
    private static final Pattern CONFIG = Pattern.compile("([0-9a-f]{64})\\.json");
    private static final Pattern OCI_BLOB = Pattern.compile("blobs/sha256/([0-9a-f]{64})");
    private static final int MAX_MANIFEST = 64 << 20;
    private static final int MAX_LINK_DEPTH = 16;

    private final BlobStore store;
    private final TransferListener listener;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, BlobRef> blobsByPath = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private JsonNode manifest;

    public SaveStream(BlobStore store, TransferListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** Reads the whole stream; returns the images its manifest lists. */
    public List<SavedImage> read(InputStream in) throws IOException {
        try (BlobCopy copy = new BlobCopy(store, listener, BlobStore.BUFFER);
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = normalize(entry.getName());
                if (entry.isSymbolicLink()) {
                    links.put(name, resolveLink(name, entry.getLinkName()));
                } else if (entry.isFile()) {
                    accept(name, tar, copy);
                }
            }
            copy.finish();
        }
        if (manifest == null) {
            throw malformed("it has no manifest.json");
        }
        return resolve();
    }

    private void accept(String name, InputStream content, BlobCopy copy) throws IOException {
        if (name.equals("manifest.json")) {
            manifest = json.readTree(content.readNBytes(MAX_MANIFEST));
            return;
        }
        Digest declared = declaredDigest(name);
        if (declared == null && !name.endsWith("/layer.tar")) {
            return; // VERSION, v1 json, repositories, index.json: the manifest says all we need
        }
        copy.store(content, declared, result -> blobsByPath.put(name, result.blob()));
    }

    private static Digest declaredDigest(String name) {
        Matcher config = CONFIG.matcher(name);
        if (config.matches()) {
            return new Digest(config.group(1));
        }
        Matcher oci = OCI_BLOB.matcher(name);
        return oci.matches() ? new Digest(oci.group(1)) : null;
    }

    private List<SavedImage> resolve() {
        if (!manifest.isArray()) {
            throw malformed("its manifest.json is not a list");
        }
        List<SavedImage> images = new ArrayList<>();
        for (JsonNode item : manifest) {
            BlobRef config = blob(item.path("Config").asText(""));
            List<String> tags = new ArrayList<>();
            item.path("RepoTags").forEach(tag -> tags.add(tag.asText()));
            List<BlobRef> layers = new ArrayList<>();
            item.path("Layers").forEach(layer -> layers.add(blob(layer.asText())));
            images.add(new SavedImage(config, tags, layers));
        }
        return images;
    }

    private BlobRef blob(String path) {
        String name = normalize(path);
        for (int depth = 0; depth < MAX_LINK_DEPTH && links.containsKey(name); depth++) {
            name = links.get(name);
        }
        BlobRef blob = blobsByPath.get(name);
        if (blob == null) {
            throw malformed("its manifest names " + path + ", which the stream did not contain");
        }
        return blob;
    }

    static String resolveLink(String entry, String target) {
        if (target.startsWith("/")) {
            throw malformed("it links " + entry + " to the absolute path " + target);
        }
        List<String> parts = new ArrayList<>(List.of(entry.split("/")));
        parts.remove(parts.size() - 1);
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw malformed("it links " + entry + " outside the archive (" + target + ")");
                }
                parts.remove(parts.size() - 1);
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }

    private static StowageException malformed(String problem) {
        return new StowageException(ExitCode.DAEMON, "the engine's save stream is malformed: " + problem,
                "check the daemon log; a daemon out of space under <data-root>/tmp can cut a save short");
    }
}
