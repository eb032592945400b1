package dev.stowage.phase;

import dev.stowage.archive.BlobCorruptException;
import dev.stowage.archive.LoadStream;
import dev.stowage.archive.MigrationDir;
import dev.stowage.archive.TransferListener;
import dev.stowage.archive.VerifiedBlobSource;
import dev.stowage.docker.DaemonClient;
import dev.stowage.docker.RequestBody;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ByteSize;
import dev.stowage.model.ExitCode;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageRecord;
import dev.stowage.model.Manifest;
import dev.stowage.model.StowageException;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports an export into a daemon: checks every blob's length first, loads the missing images in
 * one stream assembled from the blobs (each verified before the engine gets a byte of it),
 * restores tags, and then proves that every image ID and tag is there.
 */
public final class ImageImport {
    /** How far blob verification may run ahead of the load: enough to hide it, small enough to stay cached. */
    private static final long VERIFY_WINDOW = 512L << 20;

    private final DaemonClient daemon;
    private final MigrationDir dir;
    private final Reporter reporter;

    public ImageImport(DaemonClient daemon, MigrationDir dir, Reporter reporter) {
        this.daemon = daemon;
        this.dir = dir;
        this.reporter = reporter;
    }

    /** Checks every blob's length (a truncated export is refused before anything is sent) and plans the load. */
    ImportPlan plan(Manifest manifest) {
        checkLengths(manifest);
        ImportPlan plan = ImportPlan.of(manifest, daemon);
        plan.conflicts().forEach(c -> reporter.emit(Event.Notice.warning(c.describe(),
                "the tag was left where it is; remove or retag that image and run import again to restore it")));
        return plan;
    }

    /** Loads what the plan says is missing and restores tags; returns this phase's summary. */
    SummaryPart run(Manifest manifest, ImportPlan plan) {
        return run(manifest, plan, DiskWatch.off());
    }

    /** As {@link #run(Manifest, ImportPlan)}, holding the load stream between two blobs while the disk is stalled. */
    SummaryPart run(Manifest manifest, ImportPlan plan, DiskWatch watch) {
        long start = System.nanoTime();
        long streamed = load(plan, watch);
        int tagged = addTags(plan);
        return summary(manifest, plan, streamed, tagged, System.nanoTime() - start);
    }

    /** A truncated blob is caught by its length before anything is sent; content is checked as it streams. */
    private void checkLengths(Manifest manifest) {
        for (BlobRef blob : manifest.blobs().values()) {
            long size;
            try {
                size = dir.blobs().size(blob.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (size != blob.size()) {
                throw nothingLoaded(new BlobCorruptException(blob.digest(), size < 0 ? "it is missing"
                        : "it is " + size + " bytes, the manifest says " + blob.size() + " (truncated or overwritten)"),
                        manifest);
            }
        }
    }

    private long load(ImportPlan plan, DiskWatch watch) {
        if (plan.loads().isEmpty()) {
            return 0;
        }
        List<LoadStream.Item> items = plan.loads().stream()
                .map(l -> new LoadStream.Item(l.image().config(), l.tags(), l.image().layers())).toList();
        LoadStream stream = new LoadStream(items);
        reporter.emit(new Event.Step("loading " + items.size() + " images (" + ByteSize.of(plan.loadBytes()).human()
                + " of blobs, streamed from " + dir.root() + ")"));
        ImportProgress progress = new ImportProgress(reporter, plan.loads(), stream.blobOrder());
        try (VerifiedBlobSource source = new VerifiedBlobSource(dir.blobs(), stream.blobOrder(), VERIFY_WINDOW)) {
            try {
                daemon.load(body(stream, source, watch.pacing(progress)), progress::daemonStatus);
            } catch (RuntimeException e) {
                BlobCorruptException corrupt = e instanceof BlobCorruptException changed ? changed : source.failure();
                if (corrupt != null) {
                    throw nothingLoaded(corrupt, null);
                }
                throw e;
            }
        }
        progress.finish();
        return progress.streamedBytes();
    }

    /** The load tar as the daemon's request body: every piece sent is a sign of life for its watchdog. */
    private static RequestBody body(LoadStream stream, LoadStream.BlobSource source, TransferListener listener) {
        return new RequestBody() {
            @Override
            public long length() {
                return stream.length();
            }

            @Override
            public void writeTo(WritableByteChannel socket, Runnable moved) throws IOException {
                stream.writeTo(socket, source, new TransferListener() {
                    @Override
                    public void bytes(long n) {
                        moved.run();
                        listener.bytes(n);
                    }

                    @Override
                    public void blobDone(BlobRef blob, boolean stored) {
                        listener.blobDone(blob, stored);
                    }
                });
            }
        };
    }

    private StowageException nothingLoaded(BlobCorruptException corrupt, Manifest manifest) {
        String users = manifest == null ? "" : " (used by " + String.join(", ", manifest.images().stream()
                .filter(i -> i.id().equals(corrupt.digest())
                        || i.layers().stream().anyMatch(l -> l.digest().equals(corrupt.digest())))
                .map(ImageRecord::label).toList()) + ")";
        return new StowageException(ExitCode.VERIFY, corrupt.getMessage() + users + "; nothing was loaded",
                corrupt.hint(), corrupt);
    }

    private int addTags(ImportPlan plan) {
        int tagged = 0;
        for (Map.Entry<ImageRecord, List<String>> entry : plan.tagsToAdd().entrySet()) {
            for (String tag : entry.getValue()) {
                daemon.tag(entry.getKey().id(), tag);
                tagged++;
            }
        }
        for (ImageRecord image : plan.present()) {
            reporter.emit(new Event.UnitDone("import/image/" + image.id(), image.label(), "present",
                    0, Map.of("id", image.id().toString(), "tags_added",
                            plan.tagsToAdd().getOrDefault(image, List.of()).size())));
        }
        return tagged;
    }

    /** Every exported image must be there under its ID, and every tag must point at it. */
    static List<String> verify(Manifest manifest, DaemonClient daemon) {
        List<String> problems = new ArrayList<>();
        Map<Digest, List<String>> present = daemon.imageTags();
        Map<String, Digest> holders = ImportPlan.tagHolders(present);
        for (ImageRecord image : manifest.images()) {
            if (!present.containsKey(image.id())) {
                problems.add("image " + image.label() + " (" + image.id() + ") is missing");
                continue;
            }
            for (String tag : image.repoTags()) {
                Digest holder = holders.get(tag);
                if (!image.id().equals(holder)) {
                    problems.add("tag " + tag + " does not point at " + image.id().shortHex()
                            + (holder == null ? " (it is missing)" : " (it points at " + holder.shortHex() + ")"));
                }
            }
        }
        return problems;
    }

    SummaryPart dryRunSummary(ImportPlan plan) {
        for (ImportPlan.Load load : plan.loads()) {
            reporter.emit(new Event.UnitDone("import/image/" + load.image().id(), load.image().label(), "would-load",
                    load.image().layerBytes(), Map.of("id", load.image().id().toString(), "tags", load.tags().size())));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("images_to_load", plan.loads().size());
        fields.put("images_present", plan.present().size());
        fields.put("tags_to_add", plan.tagsToAdd().values().stream().mapToInt(List::size).sum());
        fields.put("tag_conflicts", plan.conflicts().size());
        fields.put("bytes_to_load", plan.loadBytes());
        return new SummaryPart(fields, List.of(String.format(
                "images: would load %d (%s), %d already present, %d tags to add, %d tag conflicts",
                plan.loads().size(), ByteSize.of(plan.loadBytes()).human(), plan.present().size(),
                fields.get("tags_to_add"), plan.conflicts().size())));
    }

    private SummaryPart summary(Manifest manifest, ImportPlan plan, long streamed, int tagged, long nanos) {
        long digests = manifest.images().stream().mapToLong(i -> i.repoDigests().size()).sum();
        long tags = manifest.images().stream().mapToLong(i -> i.repoTags().size()).sum();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("images", manifest.images().size());
        fields.put("images_loaded", plan.loads().size());
        fields.put("images_present", plan.present().size());
        fields.put("tags", tags);
        fields.put("tags_added", tagged);
        fields.put("tag_conflicts", plan.conflicts().size());
        fields.put("bytes_streamed", streamed);
        fields.put("repo_digests_not_restored", digests);
        fields.put("image_seconds", Math.round(nanos / 1e7) / 100.0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("images: %d: %d loaded, %d already present; %d tags, %d added by tagging",
                manifest.images().size(), plan.loads().size(), plan.present().size(), tags, tagged));
        lines.add(String.format("  time: %.1f s, %s streamed at %s", nanos / 1e9, ByteSize.of(streamed).human(),
                ByteSize.of(streamed).rate(nanos)));
        if (digests > 0) {
            lines.add("  note: " + digests + " repo digests were not restored: docker load cannot restore them"
                    + " (they return with the next pull or push)");
        }
        return new SummaryPart(fields, lines);
    }
}
