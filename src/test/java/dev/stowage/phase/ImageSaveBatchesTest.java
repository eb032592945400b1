package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSaveBatchesTest {
    /** The query limit ImageExport keeps each save request under (Go caps headers at 1 MiB). */
    private static final int MAX_QUERY = 256 * 1024;

    @Test
    void fewImagesGoInOneSave() {
        List<ImageInfo> images = List.of(tagged(0, "a:1", "a:latest"), untagged(1));

        assertEquals(List.of(List.of("a:1", "a:latest", images.get(1).id().toString())),
                ImageSave.batches(images));
    }

    @Test
    void longReferenceListsAreSplitUnderTheQueryLimit() {
        List<ImageInfo> images = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ImageInfo image = i % 10 == 0 ? untagged(i)
                    : tagged(i, "registry.example.com/team/service-" + "x".repeat(40) + i + ":v" + i, "svc" + i + ":latest");
            images.add(image);
            expected.addAll(image.tagged() ? image.repoTags() : List.of(image.id().toString()));
        }

        List<List<String>> batches = ImageSave.batches(images);

        assertTrue(batches.size() >= 3, "5000 long references need several saves, got " + batches.size());
        List<String> all = new ArrayList<>();
        for (List<String> batch : batches) {
            assertTrue(cost(batch) <= MAX_QUERY, "batch of " + cost(batch) + " characters");
            all.addAll(batch);
        }
        assertEquals(expected, all, "every reference once, in order");
    }

    @Test
    void anImagesTagsStayInOneSave() {
        List<ImageInfo> images = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            images.add(tagged(i, "repo-" + "y".repeat(60) + i + ":1", "repo-" + i + ":2", "repo-" + i + ":3"));
        }

        for (List<String> batch : ImageSave.batches(images)) {
            assertEquals(0, batch.size() % 3, "an image's tags were split across saves");
        }
    }

    @Test
    void anImageAboveTheLimitGetsASaveOfItsOwn() {
        List<String> manyTags = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            manyTags.add("huge-" + "z".repeat(100) + ":" + i);
        }
        ImageInfo huge = tagged(1, manyTags.toArray(String[]::new));

        List<List<String>> batches = ImageSave.batches(List.of(tagged(0, "a:1"), huge, tagged(2, "b:1")));

        assertEquals(List.of(List.of("a:1"), manyTags, List.of("b:1")), batches);
    }

    @Test
    void noImagesNoSaves() {
        assertEquals(List.of(), ImageSave.batches(List.of()));
    }

    private static int cost(List<String> batch) {
        return batch.stream().mapToInt(r -> r.length() + 8).sum();
    }

    private static ImageInfo tagged(int n, String... tags) {
        return new ImageInfo(id(n), List.of(tags), List.of(), null, List.of(), 0);
    }

    private static ImageInfo untagged(int n) {
        return new ImageInfo(id(n), List.of(), List.of(), null, List.of(), 0);
    }

    private static Digest id(int n) {
        return Digest.parse(String.format("%064x", n));
    }
}
