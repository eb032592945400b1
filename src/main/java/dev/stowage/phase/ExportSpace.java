package dev.stowage.phase;

import dev.stowage.archive.Compression;
import dev.stowage.model.ContainerInfo;
import dev.stowage.model.DaemonFacts;
import dev.stowage.plan.Amount;
import dev.stowage.plan.ExportNeeds;
import dev.stowage.plan.SpacePlan;
import java.nio.file.Path;
import java.util.List;

/** Gathers an export's facts (the phases' plans, statvfs of both filesystems) into its space plan. */
final class ExportSpace {
    private ExportSpace() {
    }

    static SpacePlan plan(DaemonFacts facts, Path dir, ImageExport.Plan images, VolumeExport.Plan volumes,
            Amount writableLayers, List<ContainerInfo> containers, Compression compression) {
        Filesystems filesystems = new Filesystems();
        Path staging = Path.of(facts.dataRoot()).resolve("tmp");
        return ExportNeeds.plan(new ExportNeeds.Facts(dir.toString(), filesystems.of(dir), staging.toString(),
                filesystems.of(staging), images.toWrite(), images.staging(), images.images().size(),
                volumes.toWrite(), writableLayers, containers.size(), volumes.volumes().size(), compression.label()));
    }
}
