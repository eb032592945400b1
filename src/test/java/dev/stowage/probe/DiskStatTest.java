package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiskStatTest {

    @Test
    void parsesEveryRowOfARecordedFile() {
        Map<String, DiskStat> rows = Recorded.series("diskstats-capped.txt").get(0).disks();
        assertEquals(java.util.Set.of("loop0", "loop1", "vda"), rows.keySet());
        DiskStat loop1 = rows.get("loop1");
        assertEquals("7:1", loop1.deviceId());
        assertEquals(141, loop1.readsCompleted());
        assertEquals(14, loop1.readTicks());
        assertEquals(485, loop1.writesCompleted());
        assertEquals(73352, loop1.writeTicks());
        assertEquals(8, loop1.inFlight());
        assertEquals(9440, loop1.ioTicks());
        assertEquals(73550, loop1.queueTicks());
    }

    @Test
    void parsesOldElevenCounterRowsAndSkipsShortOnes() {
        Map<String, DiskStat> rows = DiskStat.parse("   8       0 sda 10 0 80 5 20 0 160 40 1 30 45\n"
                + "   8       1 sda1 10 0 80\n");
        assertEquals(1, rows.size());
        assertEquals(30, rows.get("sda").completed());
    }

    @Test
    void computesActivityTheWayIostatDoes() {
        DiskStat a = new DiskStat("sda", "8:0", 100, 50, 200, 400, 0, 1000, 2000);
        DiskStat b = new DiskStat("sda", "8:0", 110, 70, 290, 2380, 4, 1900, 4000);
        DeviceActivity d = DeviceActivity.between(a, b, 1.0);
        assertEquals(100, d.iops(), 1e-9);
        assertEquals(10, d.readsPerSecond(), 1e-9);
        assertEquals(90, d.writesPerSecond(), 1e-9);
        assertEquals(20.0, d.awaitMillis(), 1e-9, "(20 + 1980) ms over 100 requests");
        assertEquals(0.9, d.utilisation(), 1e-9);
        assertEquals(2.0, d.queueDepth(), 1e-9);
        assertEquals(4, d.inFlight());
    }

    @Test
    void recordedRateCapShowsFlatCompletionsAndLongWaits() {
        List<Snapshot> series = Recorded.series("diskstats-capped.txt");
        DeviceActivity loop1 = DeviceRules.overall("loop1", series).orElseThrow();
        assertTrue(loop1.writesPerSecond() > 25 && loop1.writesPerSecond() < 60, "about 50 IOPS: " + loop1);
        assertTrue(loop1.awaitMillis() > 100, "requests wait for their slot: " + loop1);
        assertTrue(loop1.utilisation() > 0.9, loop1.toString());
    }
}
