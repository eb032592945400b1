package dev.stowage.phase;

import dev.stowage.archive.TransferListener;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import dev.stowage.report.Event;
import dev.stowage.report.ProgressMeter;
import dev.stowage.report.Reporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-weighted bars for a load. The engine reports nothing while the upload runs, so the bytes
 * Stowage sends are the measure; the image in flight is the owner of the blob being sent (the
 * first image that uses it).
 */
final class ImportProgress implements TransferListener {
    private final Reporter reporter;
    private final ProgressMeter meter;
    private final List<ImportPlan.Load> loads;
    private final Map<Digest, Integer> owner = new HashMap<>();
    private final List<BlobRef> order;
    private final long[] imageTotals;
    private final long[] imageDone;
    private final long total;
    private long streamed;
    private int next;
    private String daemonStatus = "";

    ImportProgress(Reporter reporter, List<ImportPlan.Load> loads, List<BlobRef> order) {
        this.reporter = reporter;
        this.meter = new ProgressMeter(reporter, 100);
        this.loads = loads;
        this.order = order;
        this.imageTotals = new long[loads.size()];
        this.imageDone = new long[loads.size()];
        for (int i = 0; i < loads.size(); i++) {
            ImportPlan.Load load = loads.get(i);
            for (BlobRef layer : load.image().layers()) {
                claim(layer, i);
            }
            claim(load.image().config(), i);
        }
        this.total = order.stream().mapToLong(BlobRef::size).sum();
    }

    private void claim(BlobRef blob, int image) {
        if (owner.putIfAbsent(blob.digest(), image) == null) {
            imageTotals[image] += blob.size();
        }
    }

    /** The image whose blob is being sent: the stream sends blobs in {@code order}. */
    private int current() {
        return owner.get(order.get(Math.min(next, order.size() - 1)).digest());
    }

    @Override
    public void bytes(long n) {
        streamed += n;
        imageDone[current()] += n;
        meter.tick(this::snapshot);
    }

    @Override
    public void blobDone(BlobRef blob, boolean stored) {
        next++;
    }

    void daemonStatus(String status) {
        daemonStatus = status;
        meter.tick(this::snapshot);
    }

    private Event.Progress snapshot() {
        boolean uploaded = streamed >= total;
        String activity = uploaded ? "engine applying layers" : "loading images";
        List<Event.Bar> units = uploaded
                ? List.of(new Event.Bar(daemonStatus, 0, 0))
                : List.of(new Event.Bar(loads.get(current()).image().label(), imageDone[current()],
                        imageTotals[current()]));
        return new Event.Progress(activity, units, new Event.Bar("all", streamed, total));
    }

    void finish() {
        meter.flush(new Event.Progress("loading images", List.of(), new Event.Bar("all", streamed, total)));
        for (int i = 0; i < loads.size(); i++) {
            ImportPlan.Load load = loads.get(i);
            reporter.emit(new Event.UnitDone("import/image/" + load.image().id(), load.image().label(), "loaded",
                    imageTotals[i], Map.of("id", load.image().id().toString(), "tags", load.tags().size(),
                            "layers", load.image().layers().size())));
        }
    }

    long streamedBytes() {
        return streamed;
    }
}
