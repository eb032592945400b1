package dev.stowage.probe;

import java.util.Optional;

/**
 * IO pressure stall information from {@code /proc/pressure/io}: the share of time in which some
 * (or all non-idle) tasks were waiting for IO. Host-wide, not per device.
 *
 * @param someAvg10 percent of the last 10 s in which at least one task waited on IO
 * @param fullAvg10 percent of the last 10 s in which all non-idle tasks waited on IO at once
 * @param someTotalMicros cumulative microseconds of "some" stall since boot
 * @param fullTotalMicros cumulative microseconds of "full" stall since boot
 */
public record Pressure(double someAvg10, double fullAvg10, long someTotalMicros, long fullTotalMicros) {

    /** Parses the file's two lines; empty when the kernel has no PSI (or it is turned off). */
    public static Optional<Pressure> parse(String text) {
        double someAvg = -1;
        double fullAvg = 0;
        long someTotal = 0;
        long fullTotal = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 0 || !(f[0].equals("some") || f[0].equals("full"))) {
                continue;
            }
            double avg10 = 0;
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                if (f[i].startsWith("avg10=")) {
                    avg10 = Double.parseDouble(f[i].substring(6));
                } else if (f[i].startsWith("total=")) {
                    total = Long.parseLong(f[i].substring(6));
                }
            }
            if (f[0].equals("some")) {
                someAvg = avg10;
                someTotal = total;
            } else {
                fullAvg = avg10;
                fullTotal = total;
            }
        }
        return someAvg < 0 ? Optional.empty() : Optional.of(new Pressure(someAvg, fullAvg, someTotal, fullTotal));
    }

    /** The stall over {@code seconds} up to {@code later}, from the growth of the totals. */
    public Window until(Pressure later, double seconds) {
        if (seconds <= 0) {
            return new Window(0, 0, 0);
        }
        return new Window(seconds,
                Math.min(100, Math.max(0, later.someTotalMicros - someTotalMicros) / (seconds * 1e4)),
                Math.min(100, Math.max(0, later.fullTotalMicros - fullTotalMicros) / (seconds * 1e4)));
    }

    /** Percent of a sampling window in which some / all non-idle tasks waited on IO. */
    public record Window(double seconds, double somePercent, double fullPercent) {
    }
}
