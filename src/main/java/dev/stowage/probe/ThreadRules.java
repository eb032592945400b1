package dev.stowage.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads the threads in uninterruptible sleep over the passive window. A thread counts as stuck
 * only if it was in D state at every sample and its context-switch count never moved: it has not
 * run once in the whole window. A thread that keeps waking up is busy, not stuck.
 */
final class ThreadRules {
    static final double STUCK_SECONDS = 2.0;
    private static final int LISTED = 4;

    private ThreadRules() {
    }

    /** Threads in D state for the whole window without running, by tid, from the last sample. */
    static Map<Integer, BlockedThread> stuck(List<Snapshot> window) {
        Map<Integer, BlockedThread> stuck = new LinkedHashMap<>();
        if (window.size() < 2 || window.get(window.size() - 1).secondsSince(window.get(0)) < STUCK_SECONDS) {
            return stuck;
        }
        Snapshot first = window.get(0);
        for (BlockedThread last : window.get(window.size() - 1).blocked().values()) {
            BlockedThread start = first.blocked().get(last.tid());
            boolean always = window.stream().allMatch(s -> s.blocked().containsKey(last.tid()));
            if (always && start != null && start.switches() >= 0 && start.switches() == last.switches()) {
                stuck.put(last.tid(), last);
            }
        }
        return stuck;
    }

    /** Threads seen in D state in at least half the samples, by tid (the latest sighting). */
    static Map<Integer, BlockedThread> often(List<Snapshot> window) {
        Map<Integer, Integer> sightings = new LinkedHashMap<>();
        Map<Integer, BlockedThread> latest = new LinkedHashMap<>();
        for (Snapshot s : window) {
            for (BlockedThread t : s.blocked().values()) {
                sightings.merge(t.tid(), 1, Integer::sum);
                latest.put(t.tid(), t);
            }
        }
        Map<Integer, BlockedThread> often = new LinkedHashMap<>();
        sightings.forEach((tid, n) -> {
            if (n * 2 >= window.size() && window.size() > 0) {
                often.put(tid, latest.get(tid));
            }
        });
        return often;
    }

    static List<Finding> assess(Target target, List<Snapshot> window) {
        Predicate<BlockedThread> here = t -> t.concerns(target.mount().deviceId(), target.device().orElse(null));
        List<BlockedThread> stuck = stuck(window).values().stream().filter(here).collect(Collectors.toList());
        List<Finding> findings = new ArrayList<>();
        double seconds = window.isEmpty() ? 0 : window.get(window.size() - 1).secondsSince(window.get(0));
        if (!stuck.isEmpty()) {
            findings.add(new Finding(Verdict.STALLED, target.subject(), "blocked_threads", String.format(Locale.ROOT,
                    "%d thread%s stuck in D state for %.1f s without running, waiting on %s: %s", stuck.size(),
                    stuck.size() == 1 ? "" : "s", seconds, target.mount().mountPoint(), list(stuck)),
                    "IO on this filesystem is not completing: check dmesg for hung tasks and device errors, and the"
                            + " volume's throttling metrics; do not migrate until these threads move"));
            return findings;
        }
        List<BlockedThread> busy = often(window).values().stream().filter(here).collect(Collectors.toList());
        if (!busy.isEmpty()) {
            findings.add(Finding.note(target.subject(), "blocked_threads", String.format(Locale.ROOT,
                    "%d thread%s often waiting on IO to %s (moving, not stuck): %s", busy.size(),
                    busy.size() == 1 ? "" : "s", target.mount().mountPoint(), list(busy))));
        }
        return findings;
    }

    /** Stuck threads the targets cannot be tied to: worth showing, not a verdict on these paths. */
    static Optional<Finding> elsewhere(List<Target> targets, List<Snapshot> window) {
        List<BlockedThread> others = stuck(window).values().stream()
                .filter(t -> targets.stream().noneMatch(
                        target -> t.concerns(target.mount().deviceId(), target.device().orElse(null))))
                .collect(Collectors.toList());
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Finding.note("host", "blocked_threads", String.format(Locale.ROOT,
                "%d thread%s elsewhere on the host stuck in D state: %s", others.size(),
                others.size() == 1 ? "" : "s", list(others))));
    }

    static String list(List<BlockedThread> threads) {
        String shown = threads.stream().limit(LISTED).map(BlockedThread::describe).collect(Collectors.joining(", "));
        return threads.size() > LISTED ? shown + " and " + (threads.size() - LISTED) + " more" : shown;
    }
}
