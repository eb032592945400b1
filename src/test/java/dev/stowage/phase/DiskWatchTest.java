package dev.stowage.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.archive.TransferListener;
import dev.stowage.journal.Journal;
import dev.stowage.journal.JournalRecord;
import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import dev.stowage.probe.Finding;
import dev.stowage.probe.HealthReport;
import dev.stowage.probe.Verdict;
import dev.stowage.report.Event;
import dev.stowage.testing.RecordingReporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's pacing against a scripted sequence of verdicts (the probe's own rules have their tests). */
class DiskWatchTest {
    static final Duration FAST = Duration.ofMillis(20);
    static final HealthReport HEALTHY = new HealthReport(List.of(), List.of(), Optional.empty(), 0);
    static final HealthReport STALLED = new HealthReport(List.of(), List.of(new Finding(Verdict.STALLED, "/srv",
            "diskstats", "2 requests in flight, none completed for 4.0 s", "look for exhausted burst credits")),
            Optional.empty(), 0);

    final AtomicReference<HealthReport> now = new AtomicReference<>(HEALTHY);
    final RecordingReporter reporter = new RecordingReporter();
    final List<Event> events = reporter.events();

    @Test
    void aHealthyDiskNeverHoldsAUnit() throws Exception {
        try (DiskWatch watch = new DiskWatch(now::get, reporter, null, Duration.ofSeconds(5), FAST)) {
            Thread.sleep(100);
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                watch.pace("volume v" + i);
            }
            assertTrue(System.nanoTime() - start < 50_000_000L, "pacing a healthy run costs nothing");
            assertTrue(watch.figures().path("samples").asLong() >= 2);
            assertEquals(0, watch.figures().path("stalls").asInt());
        }
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    void aStallHoldsTheNextUnitUntilTheDiskRecoversAndSaysSoInTheJournal(@TempDir Path dir) throws Exception {
        try (Journal journal = Journal.open(dir)) {
            long held;
            try (DiskWatch watch = new DiskWatch(now::get, reporter, journal, Duration.ofSeconds(30), FAST)) {
                now.set(STALLED);
                awaitVerdict(watch, Verdict.STALLED);
                Thread recover = new Thread(() -> {
                    sleep(300);
                    now.set(HEALTHY);
                });
                recover.start();
                long start = System.nanoTime();
                watch.pace("volume db-data");
                held = System.nanoTime() - start;
                recover.join();
                assertEquals(1, watch.figures().path("stalls").asInt());
            }
            assertTrue(held >= 250_000_000L, "held for " + held / 1e6 + " ms");
            List<String> notices = events.stream().filter(Event.Notice.class::isInstance)
                    .map(e -> ((Event.Notice) e).message()).toList();
            assertTrue(notices.get(0).startsWith("disk stalled mid-run: /srv: 2 requests in flight"), notices.toString());
            assertTrue(notices.stream().anyMatch(m -> m.startsWith("holding volume db-data until the disk recovers")));
            assertTrue(notices.stream().anyMatch(m -> m.startsWith("disk recovered after")), notices.toString());
            List<String> recorded = journal.records().stream().filter(r -> r.unit().equals("health/watch"))
                    .map(r -> r.data().path("event").asText()).toList();
            assertEquals(List.of("stalled", "recovered", "summary"), recorded);
            JournalRecord stalled = journal.records().stream().filter(r -> r.unit().equals("health/watch")).findFirst()
                    .orElseThrow();
            assertEquals("stalled", stalled.data().path("verdict").asText());
            assertEquals("diskstats", stalled.data().path("problems").get(0).path("signal").asText());
        }
    }

    @Test
    void aDiskThatStaysStalledStopsTheRunWithExitCodeElevenBeforeTheNextUnit() throws Exception {
        try (DiskWatch watch = new DiskWatch(now::get, reporter, null, Duration.ofMillis(300), FAST)) {
            now.set(STALLED);
            awaitVerdict(watch, Verdict.STALLED);
            StowageException e = assertThrows(StowageException.class, () -> watch.pace("container web"));
            assertEquals(ExitCode.DISK_STALLED, e.exitCode());
            assertTrue(e.getMessage().contains("stopped before container web"), e.getMessage());
            assertTrue(e.hint().contains("run the same command again"), e.hint());
        }
    }

    @Test
    void aStalledDiskHoldsAStreamBetweenTwoBlobs() throws Exception {
        AtomicInteger done = new AtomicInteger();
        TransferListener inner = new TransferListener() {
            @Override
            public void blobDone(BlobRef blob, boolean stored) {
                done.incrementAndGet();
            }
        };
        try (DiskWatch watch = new DiskWatch(now::get, reporter, null, Duration.ofMillis(200), FAST)) {
            TransferListener paced = watch.pacing(inner);
            BlobRef blob = new BlobRef(new Digest("a".repeat(64)), 1);
            paced.blobDone(blob, true);
            now.set(STALLED);
            awaitVerdict(watch, Verdict.STALLED);
            assertThrows(StowageException.class, () -> paced.blobDone(blob, true));
            assertEquals(2, done.get(), "the blob that finished is reported; the stream stops before the next");
        }
        assertTrue(DiskWatch.off().pacing(inner) == inner, "no watch, no wrapper");
    }

    private static void awaitVerdict(DiskWatch watch, Verdict verdict) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (watch.verdict() != verdict && System.nanoTime() < deadline) {
            sleep(5);
        }
        assertEquals(verdict, watch.verdict());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
