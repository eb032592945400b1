package dev.stowage.phase;

import dev.stowage.journal.Session;
import dev.stowage.model.BlobRef;
import dev.stowage.model.ContainerRecord;
import dev.stowage.model.DaemonFacts;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageRecord;
import dev.stowage.model.Manifest;
import dev.stowage.model.VolumeRecord;
import dev.stowage.plan.Amount;
import dev.stowage.plan.ImportNeeds;
import dev.stowage.plan.SpacePlan;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gathers an import's facts into its space plan: the images the plan loads, the volumes and
 * containers this import has not done yet, the target's driver, and statvfs of its data-root.
 */
final class ImportSpace {
    private ImportSpace() {
    }

    static SpacePlan plan(DaemonFacts target, Manifest manifest, ImportPlan images, Session session) {
        Filesystems filesystems = new Filesystems();
        Path dataRoot = Path.of(target.dataRoot());
        Path staging = dataRoot.resolve("tmp");
        List<ImageRecord> loads = images.loads().stream().map(ImportPlan.Load::image).toList();
        List<VolumeRecord> volumes = manifest.volumes().stream()
                .filter(v -> !session.isDone("import/volume/" + v.name())).toList();
        List<ContainerRecord> containers = manifest.containers().stream()
                .filter(c -> !session.isDone(ContainerImport.unit(c))).toList();
        return ImportNeeds.plan(new ImportNeeds.Facts(dataRoot.toString(), filesystems.of(dataRoot),
                staging.toString(), filesystems.of(staging), target.storageDriver(), loads, loadStream(loads),
                volumes, containers));
    }

    /** The one load stream: every blob once, and about three inodes per blob as the daemon unpacks it. */
    private static Amount loadStream(List<ImageRecord> loads) {
        Set<Digest> blobs = new HashSet<>();
        long bytes = 0;
        for (ImageRecord image : loads) {
            for (BlobRef blob : image.layers()) {
                if (blobs.add(blob.digest())) {
                    bytes += blob.size();
                }
            }
            if (blobs.add(image.config().digest())) {
                bytes += image.config().size();
            }
        }
        return new Amount(blobs.size(), bytes, 3L * blobs.size());
    }
}
