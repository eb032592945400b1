package dev.stowage.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PressureTest {

    @Test
    void parsesARecordedFile() {
        Pressure p = Pressure.parse(Recorded.text("pressure-io.txt")).orElseThrow();
        assertTrue(p.someTotalMicros() > 0);
        assertTrue(p.someTotalMicros() >= p.fullTotalMicros());
        assertTrue(p.someAvg10() >= p.fullAvg10());
    }

    @Test
    void parsesBothLines() {
        Pressure p = Pressure.parse("some avg10=12.50 avg60=3.00 avg300=1.00 total=4000000\n"
                + "full avg10=2.25 avg60=1.00 avg300=0.50 total=1000000\n").orElseThrow();
        assertEquals(12.5, p.someAvg10(), 1e-9);
        assertEquals(2.25, p.fullAvg10(), 1e-9);
        assertEquals(4_000_000, p.someTotalMicros());
        assertEquals(1_000_000, p.fullTotalMicros());
    }

    @Test
    void aKernelWithoutPsiGivesNothing() {
        assertTrue(Pressure.parse("").isEmpty());
    }

    @Test
    void theWindowComesFromTheTotalsNotTheAverages() {
        Pressure before = new Pressure(0, 0, 1_000_000, 500_000);
        Pressure after = new Pressure(0, 0, 2_500_000, 1_100_000);
        Pressure.Window w = before.until(after, 3.0);
        assertEquals(50.0, w.somePercent(), 1e-9, "1.5 s of 3 s");
        assertEquals(20.0, w.fullPercent(), 1e-9, "0.6 s of 3 s");
    }

    @Test
    void recordedSeriesCarryPressure() {
        assertTrue(PassiveCheck.pressure(Recorded.series("diskstats-capped.txt")).orElseThrow().seconds() > 2);
    }
}
