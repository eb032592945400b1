package dev.stowage.phase;

import dev.stowage.docker.DaemonClient;
import dev.stowage.model.Digest;
import dev.stowage.model.ImageRecord;
import dev.stowage.model.Manifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import has to do on the target daemon: images to load, images already there, tags to
 * add, and tags held by a different image there. Those are conflicts: reported, never moved,
 * because untagging someone else's image is not ours to decide.
 */
record ImportPlan(List<Load> loads, List<ImageRecord> present, Map<ImageRecord, List<String>> tagsToAdd,
        List<Conflict> conflicts) {

    /** An image to load, with the tags it may carry. */
    record Load(ImageRecord image, List<String> tags) {
    }

    /** A tag of ours that the target already uses for another image. */
    record Conflict(ImageRecord image, String tag, Digest holder) {
        String describe() {
            return "tag " + tag + " is held by another image on the target (" + holder.shortHex() + "), not by "
                    + image.id().shortHex();
        }
    }

    static ImportPlan of(Manifest manifest, DaemonClient daemon) {
        List<Load> loads = new ArrayList<>();
        List<ImageRecord> present = new ArrayList<>();
        Map<ImageRecord, List<String>> tagsToAdd = new LinkedHashMap<>();
        List<Conflict> conflicts = new ArrayList<>();
        Map<Digest, List<String>> existing = daemon.imageTags();
        Map<String, Digest> holders = tagHolders(existing);
        for (ImageRecord image : manifest.images()) {
            boolean there = existing.containsKey(image.id());
            List<String> free = new ArrayList<>();
            for (String tag : image.repoTags()) {
                Digest holder = holders.get(tag);
                if (holder == null) {
                    free.add(tag);
                } else if (!holder.equals(image.id())) {
                    conflicts.add(new Conflict(image, tag, holder));
                }
            }
            if (there) {
                present.add(image);
                if (!free.isEmpty()) {
                    tagsToAdd.put(image, free);
                }
            } else {
                loads.add(new Load(image, free));
            }
        }
        return new ImportPlan(loads, present, tagsToAdd, conflicts);
    }

    /** {@code repo:tag -> image} on the daemon. */
    static Map<String, Digest> tagHolders(Map<Digest, List<String>> images) {
        Map<String, Digest> holders = new HashMap<>();
        images.forEach((id, tags) -> tags.forEach(tag -> holders.put(tag, id)));
        return holders;
    }

    long loadBytes() {
        Map<Digest, Long> unique = new LinkedHashMap<>();
        for (Load load : loads) {
            load.image().layers().forEach(l -> unique.putIfAbsent(l.digest(), l.size()));
            unique.putIfAbsent(load.image().id(), load.image().config().size());
        }
        return unique.values().stream().mapToLong(Long::longValue).sum();
    }
}
