package dev.stowage.phase;

import dev.stowage.archive.BlobStore;
import dev.stowage.archive.SaveStream;
import dev.stowage.archive.SavedImage;
import dev.stowage.archive.TransferListener;
import dev.stowage.docker.DaemonClient;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.ImageInfo;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores images through the daemon's save API: as few {@code docker save} streams as the URL allows,
 * each split into blobs as it arrives ({@link SaveStream}), then checked: every image asked for is
 * there, with exactly the layers inspect reported. The way for a remote daemon, a driver without
 * plain layer directories, {@code --via-save}, and any image {@link ImageCopy} could not read.
 */
final class ImageSave {
    /** Go's HTTP server caps request headers at 1 MiB; stay well below with the save query. */
    private static final int MAX_QUERY = 256 * 1024;

    private final DaemonClient daemon;
    private final BlobStore blobs;

    ImageSave(DaemonClient daemon, BlobStore blobs) {
        this.daemon = daemon;
        this.blobs = blobs;
    }

    /** Saves {@code images} into the store and checks what the engine sent against them. */
    void save(List<ImageInfo> images, TransferListener progress) {
        checkSaved(images, saveAll(images, progress));
    }

    /** Saves by tag (saving by ID drops tags) and untagged images by ID, in as few streams as the URL allows. */
    private List<SavedImage> saveAll(List<ImageInfo> images, TransferListener progress) {
        List<SavedImage> saved = new ArrayList<>();
        for (List<String> batch : batches(images)) {
            try (InputStream stream = daemon.save(batch)) {
                saved.addAll(new SaveStream(blobs, progress).read(stream));
            } catch (IOException e) {
                throw new StowageException(ExitCode.DAEMON, "the save stream from the daemon broke off: " + e.getMessage(),
                        "check the daemon and its log, then run export again: blobs already stored are kept", e);
            }
        }
        return saved;
    }

    static List<List<String>> batches(List<ImageInfo> images) {
        List<List<String>> batches = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int length = 0;
        for (ImageInfo image : images) {
            List<String> references = image.tagged() ? image.repoTags() : List.of(image.id().toString());
            int size = references.stream().mapToInt(r -> r.length() + 8).sum();
            if (!batch.isEmpty() && length + size > MAX_QUERY) {
                batches.add(batch);
                batch = new ArrayList<>();
                length = 0;
            }
            batch.addAll(references);
            length += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** The engine's save must hold every image we asked for, with exactly the layers inspect reported. */
    private void checkSaved(List<ImageInfo> images, List<SavedImage> saved) {
        Map<Digest, SavedImage> byConfig = new HashMap<>();
        saved.forEach(s -> byConfig.put(s.config().digest(), s));
        for (ImageInfo image : images) {
            SavedImage found = byConfig.get(image.id());
            if (found == null) {
                throw new StowageException(ExitCode.VERIFY, "the daemon's save stream lacks image " + image.label()
                        + " (" + image.id() + ")", "was it removed during the export? run export again");
            }
            List<Digest> layers = found.layers().stream().map(BlobRef::digest).toList();
            if (!layers.equals(image.diffIds())) {
                throw new StowageException(ExitCode.VERIFY, "image " + image.label() + ": the saved layers " + layers
                        + " differ from its diff-ids " + image.diffIds(), "the daemon's image store may be damaged;"
                        + " check `docker image inspect " + image.id().shortHex() + "`");
            }
        }
    }
}
