package dev.stowage.probe;

import dev.stowage.model.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Findings about the filesystem itself: read-only, full, out of inodes, errors recorded. */
final class FilesystemRules {
    /** Below this share free, writes are about to fail: as good as stalled for a migration. */
    static final double EXHAUSTED = 0.01;
    /** Below this share free, a migration is likely to run out part way. */
    static final double LOW = 0.05;

    private FilesystemRules() {
    }

    static List<Finding> assess(Target target, Optional<SpaceUsage> space, Optional<FilesystemErrors> errors) {
        List<Finding> findings = new ArrayList<>();
        String subject = target.subject();
        boolean readOnly = target.mount().readOnly() || space.map(SpaceUsage::readOnly).orElse(false);
        if (readOnly) {
            findings.add(new Finding(Verdict.STALLED, subject, "mount",
                    target.mount().mountPoint() + " is mounted read-only",
                    "if the kernel remounted it after errors (see dmesg), repair it with fsck before anything else;"
                            + " otherwise remount it read-write"));
        }
        space.ifPresent(s -> {
            findings.addAll(share(subject, "space", s.availableFraction(), ByteSize.of(s.availableBytes()).human()
                    + " free of " + ByteSize.of(s.totalBytes()).human(),
                    "free space (docker system prune, old logs) or move the data to a bigger filesystem"));
            if (s.inodes() > 0) {
                findings.addAll(share(subject, "inodes", s.availableInodeFraction(),
                        count(s.availableInodes()) + " inodes free of " + count(s.inodes()),
                        "delete many small files, or use a filesystem with more inodes (mkfs -i / -N)"));
            }
        });
        errors.filter(e -> e.count() > 0).ifPresent(e -> findings.add(new Finding(Verdict.DEGRADED, subject,
                "fs_errors", target.mount().fsType() + " has recorded " + e.count() + " error" + (e.count() == 1 ? "" : "s")
                        + " since its last check" + (e.firstErrorFunction().isEmpty() ? ""
                                : " (first in " + e.firstErrorFunction() + ")"),
                "look in dmesg for the errors and run fsck on it in the next maintenance window;"
                        + " back up before a migration")));
        return findings;
    }

    private static List<Finding> share(String subject, String signal, double fraction, String amounts, String remedy) {
        String percent = String.format(Locale.ROOT, "%.1f %%", fraction * 100);
        if (fraction < EXHAUSTED) {
            return List.of(new Finding(Verdict.STALLED, subject, signal,
                    (signal.equals("space") ? "out of space: " : "out of inodes: ") + amounts + " (" + percent + ")",
                    remedy));
        }
        if (fraction < LOW) {
            return List.of(new Finding(Verdict.DEGRADED, subject, signal,
                    (signal.equals("space") ? "low on space: " : "low on inodes: ") + amounts + " (" + percent + ")",
                    remedy));
        }
        return List.of();
    }

    static String count(long n) {
        if (n >= 10_000_000) {
            return String.format(Locale.ROOT, "%.0f M", n / 1e6);
        }
        if (n >= 10_000) {
            return String.format(Locale.ROOT, "%.0f k", n / 1e3);
        }
        return Long.toString(n);
    }
}
