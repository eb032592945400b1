package dev.stowage.phase;

import dev.stowage.archive.BlobCorruptException;
import dev.stowage.archive.BlobStore;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.TransferListener;
import dev.stowage.docker.DaemonClient;
import dev.stowage.docker.DockerHost;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ByteSize;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import dev.stowage.model.ImageRecord;
import dev.stowage.model.Manifest;
import dev.stowage.model.ToolVersion;
import dev.stowage.plan.Amount;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exports every image of a daemon into the migration directory: the blobs not stored yet are read
 * from the daemon's layer store when it is on this host ({@link ImageCopy}), else from one
 * {@code docker save} of the images, split into blobs as it streams; either way each is checked
 * against the image's ID and diff-ids. Then the manifest. A rerun re-verifies what is stored and
 * saves only what is missing.
 */
public final class ImageExport {
    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Reporter reporter;
    private final boolean viaSave;

    public ImageExport(DaemonClient daemon, MigrationDir dir, Reporter reporter) {
        this(daemon, dir, reporter, false);
    }

    /** With {@code viaSave}, every image goes through {@code docker save}, even where the layer store is readable. */
    public ImageExport(DaemonClient daemon, MigrationDir dir, Reporter reporter, boolean viaSave) {
        this.daemon = daemon;
        this.dir = dir;
        this.reporter = reporter;
        this.viaSave = viaSave;
    }

    /**
     * What the export of images will do: the images, those still to save, and the bytes to write.
     *
     * @param estimates each layer's tar length (exact where the daemon's tar-split record was read)
     * @param estimate the bytes of layers and configs still to store
     * @param toWrite the blobs still to store
     * @param staging what the daemon stages for the save: every layer of the images to save, and their configs;
     *     nothing when they are read from its layer store
     */
    record Plan(List<ImageInfo> images, List<ImageInfo> toSave, Set<Digest> stored, Map<Digest, Long> estimates,
            long estimate, Amount toWrite, Amount staging) {
    }

    /** How many images this run read from the daemon's layer store, and how many through docker save. */
    private record Sources(int fromLayerStore, int viaSave) {
    }

    /** The images exported, and their part of the summary. */
    record Result(List<ImageRecord> records, SummaryPart summary) {
    }

    /**
     * Lists the images and works out what is missing from the store. With {@code verify}, stored
     * blobs are re-hashed first and damaged ones discarded (a dry run only looks at names).
     */
    Plan plan(List<ImageInfo> listed, boolean verify) {
        List<ImageInfo> images = new ArrayList<>(listed);
        images.sort(Comparator.comparing(ImageInfo::label));
        Set<Digest> stored = verify ? verifyStored(images) : storedByName(images);
        List<ImageInfo> toSave = images.stream()
                .filter(image -> !stored.contains(image.id()) || !stored.containsAll(image.diffIds()))
                .toList();
        Map<Digest, Long> configs = new HashMap<>();
        Map<Digest, Long> estimates = ImageSizes.of(daemon, toSave, configs);
        Set<Digest> layers = new HashSet<>();
        toSave.forEach(image -> layers.addAll(image.diffIds()));
        long stagedBytes = layers.stream().mapToLong(d -> estimates.getOrDefault(d, 0L)).sum();
        long configBytes = configs.values().stream().mapToLong(Long::longValue).sum();
        // the daemon stages a save under <data-root>/tmp; read from its layer store, nothing is staged
        Amount staging = readsLayerStore() ? Amount.NONE
                : new Amount(toSave.size(), stagedBytes + configBytes, 3L * layers.size() + configs.size() + 3);
        long layersToWrite = layers.stream().filter(d -> !stored.contains(d)).count();
        long layerBytes = layers.stream().filter(d -> !stored.contains(d)).mapToLong(d -> estimates.getOrDefault(d, 0L)).sum();
        long configsToWrite = configs.keySet().stream().filter(d -> !stored.contains(d)).count();
        long newConfigBytes = configs.entrySet().stream().filter(e -> !stored.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        Amount toWrite = new Amount(layersToWrite + configsToWrite, layerBytes + newConfigBytes,
                layersToWrite + configsToWrite);
        return new Plan(images, toSave, stored, estimates, toWrite.bytes(), toWrite, staging);
    }

    /** Saves what the plan says is missing; returns the records of every image. */
    Result run(Plan plan) {
        return run(plan, DiskWatch.off());
    }

    /** As {@link #run(Plan)}, holding the save stream between two blobs while {@code watch} says stalled. */
    Result run(Plan plan, DiskWatch watch) {
        long start = System.nanoTime();
        for (ImageInfo image : plan.images()) {
            if (!plan.toSave().contains(image)) {
                reporter.emit(new Event.UnitDone("export/image/" + image.id(), image.label(), "reused",
                        stored(image), Map.of("id", image.id().toString(), "layers", image.diffIds().size())));
            }
        }
        ExportProgress progress = new ExportProgress(reporter, plan.toSave(), plan.estimates(), plan.estimate());
        int viaSaveCount = 0;
        if (!plan.toSave().isEmpty()) {
            reporter.emit(new Event.Step("saving " + plan.toSave().size() + " of " + plan.images().size()
                    + " images (about " + ByteSize.of(plan.estimate()).human() + " to write)"));
            TransferListener listener = watch.pacing(progress);
            List<ImageInfo> toSave = plan.toSave();
            Optional<ImageCopy> copy = readsLayerStore()
                    ? ImageCopy.of(dir.blobs(), daemon.facts(), true, reporter) : Optional.empty();
            if (copy.isPresent()) {
                toSave = copy.get().copy(toSave, plan.stored(), listener);
            }
            if (!toSave.isEmpty()) {
                new ImageSave(daemon, dir.blobs()).save(toSave, listener);
            }
            viaSaveCount = toSave.size();
            progress.finish();
        }
        List<ImageRecord> records = records(plan.images());
        Sources sources = new Sources(plan.toSave().size() - viaSaveCount, viaSaveCount);
        return new Result(records, summary(records, progress, sources, System.nanoTime() - start));
    }

    /** True unless --via-save, the daemon is remote, or its layer store cannot be read from here. */
    private boolean readsLayerStore() {
        boolean local;
        try {
            local = DockerHost.parse(daemon.host()).isUnix();
        } catch (RuntimeException e) {
            local = false;
        }
        return !viaSave && ImageCopy.readable(daemon.facts(), local);
    }

    /** Re-hashes the stored blobs these images need; a damaged one is deleted, to be saved again. */
    private Set<Digest> verifyStored(List<ImageInfo> images) {
        BlobStore blobs = dir.blobs();
        Set<Digest> verified = new HashSet<>();
        Set<Digest> seen = new HashSet<>();
        for (ImageInfo image : images) {
            List<Digest> needed = new ArrayList<>(image.diffIds());
            needed.add(image.id());
            for (Digest digest : needed) {
                if (!seen.add(digest) || !blobs.contains(digest)) {
                    continue;
                }
                try {
                    blobs.verify(digest, -1);
                    verified.add(digest);
                } catch (BlobCorruptException e) {
                    reporter.emit(Event.Notice.warning(e.getMessage() + "; it will be saved again", null));
                    discard(digest);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return verified;
    }

    /** True when the store holds no layer or config of these images (a first export): a plan then reads nothing there. */
    boolean storesNoneOf(List<ImageInfo> images) {
        return storedByName(images).isEmpty();
    }

    private Set<Digest> storedByName(List<ImageInfo> images) {
        Set<Digest> present = new HashSet<>();
        for (ImageInfo image : images) {
            image.diffIds().stream().filter(dir.blobs()::contains).forEach(present::add);
            if (dir.blobs().contains(image.id())) {
                present.add(image.id());
            }
        }
        return present;
    }

    private void discard(Digest digest) {
        try {
            dir.blobs().discard(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<ImageRecord> records(List<ImageInfo> images) {
        List<ImageRecord> records = new ArrayList<>();
        for (ImageInfo image : images) {
            List<BlobRef> layers = image.diffIds().stream().map(this::storedRef).toList();
            records.add(new ImageRecord(image.id(), image.repoTags(), image.repoDigests(), image.created(),
                    storedRef(image.id()), layers));
        }
        return records;
    }

    private BlobRef storedRef(Digest digest) {
        try {
            long size = dir.blobs().size(digest);
            if (size < 0) {
                throw new BlobCorruptException(digest, "it vanished from the store during the export");
            }
            return new BlobRef(digest, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long stored(ImageInfo image) {
        return image.diffIds().stream().distinct().mapToLong(d -> storedRef(d).size()).sum();
    }

    /** The dry-run account of the images: one line per image to save, and the totals. */
    SummaryPart planSummary(Plan plan) {
        long tags = plan.images().stream().mapToLong(i -> i.repoTags().size()).sum();
        long untagged = plan.images().stream().filter(i -> !i.tagged()).count();
        for (ImageInfo image : plan.toSave()) {
            reporter.emit(new Event.UnitDone("export/image/" + image.id(), image.label(), "would-save", image.size(),
                    Map.of("id", image.id().toString(), "layers", image.diffIds().size())));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("images", plan.images().size());
        fields.put("images_to_save", plan.toSave().size());
        fields.put("tags", tags);
        fields.put("untagged_images", untagged);
        fields.put("estimated_image_bytes", plan.estimate());
        return new SummaryPart(fields, List.of("images: " + plan.images().size() + " (" + tags + " tags, " + untagged
                + " untagged); " + plan.toSave().size() + " to save, about " + ByteSize.of(plan.estimate()).human()
                + ", the rest already stored"));
    }

    private SummaryPart summary(List<ImageRecord> images, ExportProgress progress, Sources sources, long nanos) {
        Manifest manifest = Manifest.ofImages(ToolVersion.get(), Instant.now(), daemon.facts(), images);
        long unique = manifest.uniqueBytes();
        long logical = manifest.logicalBytes();
        long tags = images.stream().mapToLong(i -> i.repoTags().size()).sum();
        long digests = images.stream().mapToLong(i -> i.repoDigests().size()).sum();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("images", images.size());
        fields.put("tags", tags);
        fields.put("untagged_images", images.stream().filter(i -> i.repoTags().isEmpty()).count());
        fields.put("blobs", manifest.imageBlobs().size());
        fields.put("blobs_written", progress.newBlobs());
        fields.put("bytes_written", progress.newBytes());
        fields.put("bytes_streamed", progress.streamedBytes());
        fields.put("unique_bytes", unique);
        fields.put("logical_bytes", logical);
        fields.put("dedup_saved_bytes", logical - unique);
        fields.put("repo_digests_recorded", digests);
        fields.put("images_from_layer_store", sources.fromLayerStore());
        fields.put("images_via_save", sources.viaSave());
        fields.put("image_seconds", Math.round(nanos / 1e7) / 100.0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("images: %d (%d tags)", images.size(), tags));
        lines.add(String.format("  blobs: %d (%s), %d written now (%s), the rest reused", manifest.imageBlobs().size(),
                ByteSize.of(unique).human(), progress.newBlobs(), ByteSize.of(progress.newBytes()).human()));
        lines.add(String.format("  dedup: %s of layers stored as %s (saved %s)", ByteSize.of(logical).human(),
                ByteSize.of(unique).human(), ByteSize.of(logical - unique).human()));
        lines.add(String.format("  time: %.1f s, %s from the daemon at %s", nanos / 1e9,
                ByteSize.of(progress.streamedBytes()).human(), ByteSize.of(progress.streamedBytes()).rate(nanos)));
        if (sources.fromLayerStore() + sources.viaSave() > 0) {
            lines.add(String.format("  read: %d images from the daemon's layer store, %d through docker save",
                    sources.fromLayerStore(), sources.viaSave()));
        }
        if (digests > 0) {
            lines.add("  note: " + digests + " repo digests recorded; docker load cannot restore them"
                    + " (they return with the next pull or push)");
        }
        return new SummaryPart(fields, lines);
    }
}
