package dev.stowage.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stowage.model.Digest;
import dev.stowage.model.ImageInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerEstimateTest {
    private static final Digest L1 = layer('1');
    private static final Digest L2 = layer('2');
    private static final Digest L3 = layer('3');
    private static final Digest L4 = layer('4');

    private final List<Digest> asked = new ArrayList<>();

    @Test
    void historyThatFitsGivesEachLayerItsEntry() {
        ImageInfo a = image('a', 300, L1, L2);

        Map<Digest, Long> sizes = LayerEstimate.of(List.of(a), history(Map.of(a.id(), List.of(100L, 200L))));

        assertEquals(Map.of(L1, 100L, L2, 200L), sizes);
    }

    @Test
    void sharedLayerKeepsItsFirstEstimate() {
        ImageInfo a = image('a', 300, L1, L2);
        ImageInfo b = image('b', 1049, L1, L3);

        Map<Digest, Long> sizes = LayerEstimate.of(List.of(a, b),
                history(Map.of(a.id(), List.of(100L, 200L), b.id(), List.of(999L, 50L))));

        assertEquals(Map.of(L1, 100L, L2, 200L, L3, 50L), sizes);
    }

    @Test
    void imageWhoseLayersAreAllKnownIsNotAskedForItsHistory() {
        ImageInfo a = image('a', 300, L1, L2);
        ImageInfo c = image('c', 300, L2, L1);

        LayerEstimate.of(List.of(a, c), history(Map.of(a.id(), List.of(100L, 200L))));

        assertEquals(List.of(a.id()), asked);
    }

    @Test
    void historyThatDoesNotFitSpreadsTheRestOfTheImageOverUnknownLayers() {
        ImageInfo a = image('a', 300, L1, L2);
        ImageInfo d = image('d', 1300, L1, L3, L4);

        Map<Digest, Long> sizes = LayerEstimate.of(List.of(a, d),
                history(Map.of(a.id(), List.of(100L, 200L), d.id(), List.of())));

        assertEquals(Map.of(L1, 100L, L2, 200L, L3, 600L, L4, 600L), sizes);
    }

    @Test
    void imageSmallerThanItsKnownLayersEstimatesZeroForTheRest() {
        ImageInfo a = image('a', 300, L1, L2);
        ImageInfo d = image('d', 50, L1, L3);

        Map<Digest, Long> sizes = LayerEstimate.of(List.of(a, d),
                history(Map.of(a.id(), List.of(100L, 200L), d.id(), List.of(1L))));

        assertEquals(0L, sizes.get(L3));
    }

    @Test
    void aLayerRepeatedInOneImageIsCountedOnce() {
        ImageInfo e = image('e', 1000, L3, L4, L3);

        Map<Digest, Long> sizes = LayerEstimate.of(List.of(e), history(Map.of(e.id(), List.of())));

        assertEquals(Map.of(L3, 500L, L4, 500L), sizes);
    }

    private java.util.function.Function<Digest, List<Long>> history(Map<Digest, List<Long>> histories) {
        return id -> {
            asked.add(id);
            return histories.getOrDefault(id, List.of());
        };
    }

    private static ImageInfo image(char id, long size, Digest... layers) {
        return new ImageInfo(Digest.parse(String.valueOf(id).repeat(64)), List.of(), List.of(), null,
                List.of(layers), size);
    }

    private static Digest layer(char c) {
        return Digest.parse("0".repeat(63) + c);
    }
}
