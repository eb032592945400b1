package dev.stowage.phase;

import dev.stowage.archive.TransferListener;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import dev.stowage.report.Event;
import dev.stowage.report.ProgressMeter;
import dev.stowage.report.Reporter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a save stream's bytes into per-image and overall bars, and reports each image once all its
 * blobs are stored. The engine orders a save by internal IDs, not by image, so an image's bar
 * advances as its layers complete, while the overall bar counts every byte.
 */
final class ExportProgress implements TransferListener {
    private final Reporter reporter;
    private final ProgressMeter meter;
    private final long totalBytes;
    private final Map<Digest, Long> estimates;
    private final Map<ImageInfo, Set<Digest>> pending = new LinkedHashMap<>();
    private final Map<ImageInfo, Long> doneBytes = new HashMap<>();
    private final Set<Digest> stored = new HashSet<>();
    private final Map<Digest, Long> sizes = new HashMap<>();
    private long streamed;
    private long reused;

    ExportProgress(Reporter reporter, List<ImageInfo> images, Map<Digest, Long> estimates, long totalBytes) {
        this.reporter = reporter;
        this.meter = new ProgressMeter(reporter, 100);
        this.estimates = estimates;
        this.totalBytes = totalBytes;
        for (ImageInfo image : images) {
            Set<Digest> blobs = new HashSet<>(image.diffIds());
            blobs.add(image.id());
            pending.put(image, blobs);
        }
    }

    @Override
    public void bytes(long n) {
        streamed += n;
        meter.tick(this::snapshot);
    }

    @Override
    public void blobDone(BlobRef blob, boolean newlyStored) {
        sizes.put(blob.digest(), blob.size());
        if (newlyStored) {
            stored.add(blob.digest());
        } else {
            reused++;
        }
        for (Map.Entry<ImageInfo, Set<Digest>> entry : new ArrayList<>(pending.entrySet())) {
            ImageInfo image = entry.getKey();
            if (entry.getValue().remove(blob.digest())) {
                doneBytes.merge(image, blob.size(), Long::sum);
                if (entry.getValue().isEmpty()) {
                    pending.remove(image);
                    reporter.emit(unitDone(image));
                }
            }
        }
    }

    private Event.UnitDone unitDone(ImageInfo image) {
        long bytes = image.diffIds().stream().distinct().mapToLong(d -> sizes.getOrDefault(d, 0L)).sum();
        long fresh = image.diffIds().stream().distinct().filter(stored::contains).count();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", image.id().toString());
        fields.put("tags", image.repoTags().size());
        fields.put("layers", image.diffIds().size());
        fields.put("new_layers", fresh);
        return new Event.UnitDone("export/image/" + image.id(), image.label(), "exported", bytes, fields);
    }

    Event.Progress snapshot() {
        List<Event.Bar> units = new ArrayList<>();
        for (ImageInfo image : pending.keySet()) {
            long done = doneBytes.getOrDefault(image, 0L);
            if (done > 0) {
                units.add(new Event.Bar(image.label(), done, estimate(image)));
            }
        }
        return new Event.Progress("saving images", units, new Event.Bar("all", streamed, Math.max(streamed, totalBytes)));
    }

    private long estimate(ImageInfo image) {
        return Math.max(1, image.diffIds().stream().distinct().mapToLong(d -> estimates.getOrDefault(d, 0L)).sum());
    }

    void finish() {
        meter.flush(new Event.Progress("saving images", List.of(), new Event.Bar("all", streamed, streamed)));
    }

    long streamedBytes() {
        return streamed;
    }

    long newBlobs() {
        return stored.size();
    }

    long newBytes() {
        return stored.stream().mapToLong(d -> sizes.getOrDefault(d, 0L)).sum();
    }

    long reusedInStream() {
        return reused;
    }
}
