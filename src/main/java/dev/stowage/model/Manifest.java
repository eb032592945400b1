package dev.stowage.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The index of one export: written once, atomically, when the export is complete. Import reads
 * only this and the blobs it names.
 */
public record Manifest(
        int formatVersion,
        String toolVersion,
        Instant createdAt,
        DaemonFacts source,
        List<ImageRecord> images,
        List<NetworkRecord> networks,
        List<VolumeRecord> volumes,
        List<ContainerRecord> containers) {

    /**
     * Bumped whenever a reader of the previous version would misread a new manifest. Version 2
     * added networks, volumes and containers: a version-1 reader would silently drop them.
     */
    public static final int FORMAT_VERSION = 2;

    public Manifest {
        Objects.requireNonNull(source, "source");
        images = List.copyOf(images == null ? List.of() : images);
        networks = List.copyOf(networks == null ? List.of() : networks);
        volumes = List.copyOf(volumes == null ? List.of() : volumes);
        containers = List.copyOf(containers == null ? List.of() : containers);
    }

    /** An images-only manifest. */
    public static Manifest ofImages(String toolVersion, Instant createdAt, DaemonFacts source, List<ImageRecord> images) {
        return new Manifest(FORMAT_VERSION, toolVersion, createdAt, source, images, List.of(), List.of(), List.of());
    }

    /** Every blob the images need, each once, in first-use order. */
    public Map<Digest, BlobRef> imageBlobs() {
        Map<Digest, BlobRef> blobs = new LinkedHashMap<>();
        for (ImageRecord image : images) {
            for (BlobRef layer : image.layers()) {
                blobs.putIfAbsent(layer.digest(), layer);
            }
            blobs.putIfAbsent(image.config().digest(), image.config());
        }
        return blobs;
    }

    /** Every blob the manifest needs (images, volume data, writable layers), each once. */
    public Map<Digest, BlobRef> blobs() {
        Map<Digest, BlobRef> blobs = imageBlobs();
        volumes.stream().filter(VolumeRecord::holdsData).forEach(v -> blobs.putIfAbsent(v.data().digest(), v.data()));
        containers.stream().filter(c -> c.layer() != null).forEach(c -> blobs.putIfAbsent(c.layer().digest(), c.layer()));
        return blobs;
    }

    public long uniqueBytes() {
        return imageBlobs().values().stream().mapToLong(BlobRef::size).sum();
    }

    /** Bytes as if every image were stored on its own: the figure dedup is measured against. */
    public long logicalBytes() {
        return images.stream().mapToLong(i -> i.layerBytes() + i.config().size()).sum();
    }
}
