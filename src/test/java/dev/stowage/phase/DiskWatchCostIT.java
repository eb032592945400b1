package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.archive.Compression;
import dev.stowage.archive.TreeWriter;
import dev.stowage.report.Event;
import dev.stowage.report.Reporter;
import dev.stowage.model.StowageException;
import dev.stowage.testing.StorageFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the watcher costs a healthy run, on this host's real /proc: the time of one passive sample,
 * and the slowdown of an export-like workload (archiving and compressing a volume-like tree) with
 * the watcher running, measured interleaved (A B A B) because the machine is shared.
 * The figures are printed (WATCH-COST); only correctness is asserted, never a timing.
 */
class DiskWatchCostIT {
    static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void watchingAHealthyDiskCostsLittleAndNeverStalls() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Random random = new Random(7);
        byte[] noise = new byte[64 << 20];
        random.nextBytes(noise);
        for (int i = 0; i < 3; i++) {
            Files.write(tree.resolve("noise-" + i + ".bin"), noise);
            random.nextBytes(noise);
        }
        for (int i = 0; i < 6000; i++) {
            Files.writeString(tree.resolve("f" + i + ".txt"), StorageFixtures.text(random, 4000));
        }
        List<Double> ratios = new ArrayList<>();
        JsonNode figures = null;
        workload(tree); // warm-up: JIT and page cache
        for (int round = 0; round < ROUNDS; round++) {
            long without = workload(tree);
            long with;
            try (DiskWatch watch = DiskWatch.start(List.of(dir), quiet(), null, Preflight.defaults())) {
                with = workload(tree);
                figures = watch.figures();
                assertEquals(0, figures.path("stalls").asInt(), "no stall on a healthy disk");
            }
            ratios.add((double) with / without);
        }
        ratios.sort(Double::compare);
        System.out.printf(Locale.ROOT, "WATCH-COST per sample mean %s ms, max %s ms over %d samples; workload with"
                + " the watcher / without, median of %d interleaved rounds: %.3f (all: %s)%n",
                figures.path("sample_ms_mean").asText(), figures.path("sample_ms_max").asText(),
                figures.path("samples").asLong(), ROUNDS, ratios.get(ROUNDS / 2), ratios);
        assertTrue(figures.path("samples").asLong() >= 1, "the watcher sampled during the workload");
    }

    /**
     * Archives the tree through zstd four times, as a volume export does, into a sink: the CPU side
     * of an export, where a watcher thread competing for a core would show. Returns nanoseconds.
     */
    private long workload(Path tree) throws IOException {
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            try (OutputStream zstd = Compression.ZSTD.compress(OutputStream.nullOutputStream())) {
                TreeWriter.write(tree, zstd);
            }
        }
        return System.nanoTime() - start;
    }

    private static Reporter quiet() {
        return new Reporter() {
            @Override
            public void emit(Event event) {
            }

            @Override
            public void error(StowageException error, String stacktrace) {
            }
        };
    }
}
