package dev.stowage.phase;

import dev.stowage.archive.BlobCopy;
import dev.stowage.archive.BlobCorruptException;
import dev.stowage.archive.BlobStore;
import dev.stowage.archive.TransferListener;
import dev.stowage.docker.LayerDb;
import dev.stowage.model.BlobRef;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores images' layers and configs straight from the daemon's own store on this host, without a
 * {@code docker save}: the engine's save first copies every layer into {@code <data-root>/tmp} and
 * only then streams that copy, so it reads and writes everything twice. Each layer's tar is rebuilt
 * from its tar-split record and the layer's files ({@link LayerDb#openTar}), exactly as the engine
 * rebuilds it, and stored only if it hashes to the layer's diff-id; each config only if it hashes
 * to the image ID. An image this cannot do (a driver without plain layer directories, a record
 * missing, a layer that hashes differently, a file gone) is left to {@code docker save}.
 */
final class ImageCopy {
    private final BlobStore blobs;
    private final Path dataRoot;
    private final String driver;
    private final Reporter reporter;
    private final Set<Digest> done = new HashSet<>();

    private ImageCopy(BlobStore blobs, Path dataRoot, String driver, Reporter reporter) {
        this.blobs = blobs;
        this.dataRoot = dataRoot;
        this.driver = driver;
        this.reporter = reporter;
    }

    /**
     * A copier when the daemon's store is on this host and readable: its socket is local and its
     * data-root holds the driver's layer database; else empty, and everything goes through save.
     */
    static Optional<ImageCopy> of(BlobStore blobs, DaemonFacts facts, boolean localDaemon, Reporter reporter) {
        return readable(facts, localDaemon)
                ? Optional.of(new ImageCopy(blobs, Path.of(facts.dataRoot()), facts.storageDriver(), reporter))
                : Optional.empty();
    }

    /** True when the daemon's layer store can be read from here (see {@link #of}). */
    static boolean readable(DaemonFacts facts, boolean localDaemon) {
        return localDaemon && facts.dataRoot() != null && facts.storageDriver() != null && Files.isReadable(
                Path.of(facts.dataRoot()).resolve("image").resolve(facts.storageDriver()).resolve("layerdb"));
    }

    /**
     * Stores every blob of {@code images} not in {@code stored}; tells {@code listener} about each
     * blob an image needs, stored now or before. Returns the images left for {@code docker save}.
     */
    List<ImageInfo> copy(List<ImageInfo> images, Set<Digest> stored, TransferListener listener) {
        List<ImageInfo> left = new ArrayList<>();
        try (BlobCopy copy = new BlobCopy(blobs, listener)) {
            for (ImageInfo image : images) {
                String problem = copy(image, stored, copy, listener);
                if (problem != null) {
                    reporter.emit(Event.Notice.info("image " + image.label() + ": " + problem
                            + "; it goes through docker save instead"));
                    left.add(image);
                }
            }
            copy.finish();
        }
        return left;
    }

    /** Stores one image's blobs; returns why it could not, or null. */
    private String copy(ImageInfo image, Set<Digest> stored, BlobCopy copy, TransferListener listener) {
        List<Digest> diffIds = image.diffIds();
        try {
            for (int i = 0; i < diffIds.size(); i++) {
                Digest layer = diffIds.get(i);
                if (reuse(layer, stored, listener)) {
                    continue;
                }
                Optional<InputStream> tar = LayerDb.openTar(dataRoot, driver, diffIds.subList(0, i + 1));
                if (tar.isEmpty()) {
                    return "layer " + layer.shortHex() + " has no tar-split record or directory under " + dataRoot;
                }
                try (InputStream in = tar.get()) {
                    copy.store(in, layer);
                }
                done.add(layer);
            }
            if (!reuse(image.id(), stored, listener)) {
                Optional<byte[]> config = LayerDb.config(dataRoot, driver, image.id());
                if (config.isEmpty()) {
                    return "its config is not in the daemon's image store under " + dataRoot;
                }
                copy.store(new ByteArrayInputStream(config.get()), image.id());
                done.add(image.id());
            }
            return null;
        } catch (BlobCorruptException e) {
            return "blob " + e.digest().shortHex() + " rebuilt from the layer store does not match its digest";
        } catch (IOException | UncheckedIOException e) {
            return "reading the layer store failed (" + e.getMessage() + ")";
        }
    }

    /** True when the blob is already stored (before this run, or by an earlier image of it). */
    private boolean reuse(Digest digest, Set<Digest> stored, TransferListener listener) throws IOException {
        if (done.contains(digest)) {
            return true;
        }
        if (stored.contains(digest)) {
            done.add(digest);
            listener.blobDone(new BlobRef(digest, blobs.size(digest)), false);
            return true;
        }
        return false;
    }
}
