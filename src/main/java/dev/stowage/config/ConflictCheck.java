package dev.stowage.config;

import dev.stowage.model.Precheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds what would stop dockerd from starting because a setting is given twice: as a flag and as a
 * daemon.json key. dockerd checks every flag, not only the storage ones, so this does too, and
 * refuses an edit that leaves any such pair behind, even one that was there before: the migration
 * restarts dockerd, and a daemon that will not start is the failure to avoid.
 */
final class ConflictCheck {
    /** dockerd's own words, so that an operator who has seen the failure recognises it. */
    static final String DOCKERD_MESSAGE = "the following directives are specified both as a flag and in the"
            + " configuration file";

    private ConflictCheck() {
    }

    /** One flag that collides with one key. */
    record Conflict(DaemonFlag flag, String key, String fileValue) {
        /** Identity across a before/after comparison. */
        String id() {
            return flag.name() + "=" + flag.value() + "@" + flag.origin() + "~" + key;
        }
    }

    static List<Conflict> find(List<DaemonFlag> flags, JsonDocument json) {
        List<Conflict> conflicts = new ArrayList<>();
        for (DaemonFlag flag : flags) {
            Optional<String> key = collidingKey(flag, json);
            key.ifPresent(k -> conflicts.add(new Conflict(flag, k, json.get(k).map(Object::toString).orElse(""))));
        }
        return conflicts;
    }

    /**
     * The key a flag collides with, if the file has it. The old and new names of the data-root
     * collide crosswise too: dockerd then stops with "cannot specify both --graph and --data-root".
     */
    private static Optional<String> collidingKey(DaemonFlag flag, JsonDocument json) {
        if (json.has(flag.jsonKey())) {
            return Optional.of(flag.jsonKey());
        }
        if (flag.spelled().startsWith("-") && !flag.spelled().startsWith("--") && json.has(flag.spelled().substring(1))) {
            return Optional.of(flag.spelled().substring(1));
        }
        if (StorageSetting.DATA_ROOT.setBy(flag.name())) {
            return StorageSetting.DATA_ROOT.keys().stream().filter(json::has).findFirst();
        }
        return Optional.empty();
    }

    /** Blockers for the conflicts the planned files have, notes for those the plan removes. */
    static List<Precheck> judge(List<Conflict> before, List<Conflict> after, Path daemonJson) {
        List<Precheck> findings = new ArrayList<>();
        List<String> remaining = after.stream().map(Conflict::id).toList();
        for (Conflict c : before) {
            if (!remaining.contains(c.id())) {
                findings.add(Precheck.ok(c.flag().display(), "flag_conflict", "resolved: " + c.flag().display()
                        + " (" + c.flag().origin() + ") no longer collides with \"" + c.key() + "\" in " + daemonJson));
            }
        }
        List<String> existed = before.stream().map(Conflict::id).toList();
        for (Conflict c : after) {
            String message = c.flag().display() + " (" + c.flag().origin() + ") and \"" + c.key() + "\": "
                    + c.fileValue() + " in " + daemonJson + " set the same thing; dockerd would refuse to start: \""
                    + DOCKERD_MESSAGE + "\"" + (existed.contains(c.id()) ? " (this is so already)" : "");
            findings.add(Precheck.blocker(c.flag().display(), "flag_conflict", message, remedy(c)));
        }
        return findings;
    }

    private static String remedy(Conflict c) {
        DaemonFlag flag = c.flag();
        String removeFlag;
        if (flag.envFile() != null) {
            removeFlag = "remove " + flag.display() + " from " + flag.variable() + " in " + flag.envFile();
        } else if (flag.variable() != null) {
            removeFlag = "remove " + flag.display() + " from the Environment= that sets " + flag.variable();
        } else {
            removeFlag = "remove " + flag.spelled() + " from ExecStart: in a drop-in"
                    + " (/etc/systemd/system/docker.service.d/stowage.conf) write an empty `ExecStart=` and then"
                    + " the command line without it, and run `systemctl daemon-reload`";
        }
        return "keep each setting in one place: " + removeFlag + ", or remove \"" + c.key() + "\" from daemon.json;"
                + " then run stowage again";
    }
}
