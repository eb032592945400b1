package dev.stowage.config;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The storage flags of /etc/sysconfig/docker-storage: RHEL's docker.service loads the file and
 * appends {@code $DOCKER_STORAGE_OPTIONS} to dockerd's command line, e.g.
 * {@code DOCKER_STORAGE_OPTIONS="--storage-driver overlay2 --storage-opt overlay2.size=10G"}.
 * Immutable: an edit returns the new content, every other line of the file kept as it was.
 */
final class StorageSysconfig {
    static final String VARIABLE = "DOCKER_STORAGE_OPTIONS";

    private final EnvFile file;
    private final List<String> words;
    private final List<DaemonFlags.Parsed> flags;

    private StorageSysconfig(EnvFile file) {
        this.file = file;
        this.words = CommandWords.split(file.get(VARIABLE).orElse(""));
        this.flags = DaemonFlags.parse(words);
    }

    static StorageSysconfig parse(String text) {
        return new StorageSysconfig(EnvFile.parse(text));
    }

    String text() {
        return file.text();
    }

    EnvFile envFile() {
        return file;
    }

    boolean has(StorageSetting setting) {
        return flags.stream().anyMatch(f -> setting.setBy(f.name()));
    }

    /** The value of a one-value setting (the last flag wins, as in dockerd). */
    Optional<String> value(StorageSetting setting) {
        String value = null;
        for (DaemonFlags.Parsed f : flags) {
            if (setting.setBy(f.name()) && f.value() != null) {
                value = f.value();
            }
        }
        return Optional.ofNullable(value);
    }

    List<String> values(StorageSetting setting) {
        return flags.stream().filter(f -> setting.setBy(f.name()) && f.value() != null)
                .map(DaemonFlags.Parsed::value).toList();
    }

    /** The file without any flag of {@code setting}. */
    StorageSysconfig without(StorageSetting setting) {
        return has(setting) ? rewrite(setting, List.of()) : this;
    }

    /** The file with {@code setting} given these values, one flag each, after the other flags. */
    StorageSysconfig with(StorageSetting setting, List<String> values) {
        if (values(setting).equals(values) && flags.stream().filter(f -> setting.setBy(f.name()))
                .allMatch(f -> f.spelled().equals(setting.flag()))) {
            return this;
        }
        return rewrite(setting, values);
    }

    private StorageSysconfig rewrite(StorageSetting setting, List<String> values) {
        boolean[] drop = new boolean[words.size()];
        for (DaemonFlags.Parsed f : flags) {
            if (setting.setBy(f.name())) {
                if (f.grouped()) {
                    throw new StowageException(ExitCode.PRECHECK, VARIABLE + " gives " + f.spelled()
                            + " inside a group of short flags, which stowage does not rewrite",
                            "write the flags of " + VARIABLE + " one by one (e.g. -D -s overlay2), then run again");
                }
                for (int i = f.firstWord(); i < f.firstWord() + f.wordCount(); i++) {
                    drop[i] = true;
                }
            }
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (!drop[i]) {
                kept.add(words.get(i));
            }
        }
        for (String value : values) {
            kept.add(setting.flag());
            kept.add(value);
        }
        return new StorageSysconfig(file.with(VARIABLE, String.join(" ", kept.stream().map(StorageSysconfig::word).toList())));
    }

    /** A word as the value must spell it to be split back into the same word. */
    private static String word(String text) {
        return text.chars().anyMatch(Character::isWhitespace) || text.isEmpty() ? "'" + text + "'" : text;
    }
}
