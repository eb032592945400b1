package dev.stowage.docker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stowage.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;

/**
 * What the daemon's own image store on this host says about sizes, read from its files when
 * Stowage runs on the daemon's host (it reads writable layers from there too). Everything here is
 * optional: a remote daemon, another layout or an unreadable file gives an empty answer, and the
 * caller falls back to what the API reports.
 *
 * <p>A layer's tar, as {@code docker save} sends it, is rebuilt from the layer's tar-split record
 * ({@code image/<driver>/layerdb/sha256/<chain-id>/tar-split.json.gz}): raw header segments (type 2,
 * base64) and file entries (type 1, with their sizes). Adding them up gives its exact length without
 * reading a byte of the layer. The chain ID names the layer with everything under it, so equal chain
 * IDs mean equal tars, whichever daemon recorded them. The same record and the layer's files give
 * the tar itself ({@link #openTar}), without the engine's staging copy.
 */
public final class LayerDb {
    private static final JsonFactory JSON = new JsonFactory();

    private LayerDb() {
    }

    /** The exact length of the tar of the top layer of {@code diffIds} (lowest first). */
    public static OptionalLong tarSize(Path dataRoot, String driver, List<Digest> diffIds) {
        Path file = dataRoot.resolve("image").resolve(driver).resolve("layerdb").resolve(Digest.ALGORITHM)
                .resolve(chainId(diffIds).hex()).resolve("tar-split.json.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return OptionalLong.of(tarSplitLength(in));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The tar of the top layer of {@code diffIds} (lowest first), rebuilt on the fly from its tar-split
     * record and the layer's files in the driver's directory ({@link TarSplitStream}), or empty when
     * this driver keeps no plain directory per layer (devicemapper, zfs, ...) or the record is not
     * there. The caller must check the result against the diff-id.
     */
    public static Optional<InputStream> openTar(Path dataRoot, String driver, List<Digest> diffIds) throws IOException {
        Path layer = dataRoot.resolve("image").resolve(driver).resolve("layerdb").resolve(Digest.ALGORITHM)
                .resolve(chainId(diffIds).hex());
        Path record = layer.resolve("tar-split.json.gz");
        Path cacheIdFile = layer.resolve("cache-id");
        if (!Files.isRegularFile(record) || !Files.isRegularFile(cacheIdFile)) {
            return Optional.empty();
        }
        String cacheId = Files.readString(cacheIdFile, StandardCharsets.US_ASCII).trim();
        if (!cacheId.matches("[0-9a-zA-Z_.-]+")) {
            throw new IOException("layer " + diffIds.get(diffIds.size() - 1) + " has an odd cache-id: " + cacheId);
        }
        Path files = files(dataRoot, driver, cacheId);
        if (files == null || !Files.isDirectory(files)) {
            return Optional.empty();
        }
        InputStream json = new GZIPInputStream(Files.newInputStream(record), 1 << 16);
        try {
            return Optional.of(new TarSplitStream(json, files));
        } catch (IOException | RuntimeException e) {
            json.close();
            throw e;
        }
    }

    /**
     * Where a driver keeps the files of the layer it knows as {@code id} (a layer's cache-id, a
     * container's mount-id): overlay2 its diff directory (that layer's changes only), vfs and btrfs the
     * layer's whole tree. Null for drivers without such a directory (devicemapper, zfs, ...).
     */
    static Path files(Path dataRoot, String driver, String id) {
        return switch (driver) {
            case "overlay2" -> dataRoot.resolve("overlay2").resolve(id).resolve("diff");
            case "vfs" -> dataRoot.resolve("vfs/dir").resolve(id);
            case "btrfs" -> dataRoot.resolve("btrfs/subvolumes").resolve(id);
            default -> null;
        };
    }

    /** An image's config blob from the daemon's image store, or empty when it is not there. */
    public static Optional<byte[]> config(Path dataRoot, String driver, Digest image) throws IOException {
        Path file = dataRoot.resolve("image").resolve(driver).resolve("imagedb/content").resolve(Digest.ALGORITHM)
                .resolve(image.hex());
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    /** The length of an image's config blob, as stored in the daemon's image store. */
    public static OptionalLong configSize(Path dataRoot, String driver, Digest image) {
        try {
            return OptionalLong.of(Files.size(dataRoot.resolve("image").resolve(driver)
                    .resolve("imagedb/content").resolve(Digest.ALGORITHM).resolve(image.hex())));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The OCI chain ID: the first diff-id, then sha256("<chain> <diff-id>") for each one above. */
    public static Digest chainId(List<Digest> diffIds) {
        if (diffIds.isEmpty()) {
            throw new IllegalArgumentException("a chain needs at least one layer");
        }
        Digest chain = diffIds.get(0);
        for (Digest diffId : diffIds.subList(1, diffIds.size())) {
            chain = Digest.of(sha256().digest((chain + " " + diffId).getBytes(StandardCharsets.US_ASCII)));
        }
        return chain;
    }

    /** Adds up a tar-split stream: decoded segment payloads plus file entry sizes. */
    static long tarSplitLength(InputStream json) throws IOException {
        long total = 0;
        try (JsonParser parser = JSON.createParser(json)) {
            int type = 0;
            long size = 0;
            long payload = 0;
            String field = null;
            for (JsonToken token; (token = parser.nextToken()) != null; ) {
                switch (token) {
                    case START_OBJECT -> {
                        type = 0;
                        size = 0;
                        payload = 0;
                    }
                    case FIELD_NAME -> field = parser.currentName();
                    case VALUE_NUMBER_INT -> {
                        if ("type".equals(field)) {
                            type = parser.getIntValue();
                        } else if ("size".equals(field)) {
                            size = parser.getLongValue();
                        }
                    }
                    case VALUE_STRING -> {
                        if ("payload".equals(field)) {
                            payload = base64Length(parser.getText());
                        }
                    }
                    case END_OBJECT -> total += type == 2 ? payload : type == 1 ? size : 0;
                    default -> {
                    }
                }
            }
        }
        return total;
    }

    static long base64Length(String text) {
        int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        return (long) text.length() / 4 * 3 - padding;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
