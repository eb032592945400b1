package dev.stowage.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a command line into words the way systemd splits {@code ExecStart=}: whitespace separates
 * words, single and double quotes group them, backslash escapes. Then it expands variables as
 * systemd does: a word that is exactly {@code $NAME} becomes the value split into words (so
 * {@code $DOCKER_OPTS} can hold many flags), and {@code ${NAME}} is replaced inside a word. An
 * unset variable expands to nothing.
 */
final class CommandWords {
    private static final Pattern WHOLE_VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /**
     * One word of the expanded command line.
     *
     * @param variable the variable it came from, or null for a word written in the line itself
     */
    record Word(String text, String variable) {
    }

    private CommandWords() {
    }

    /** Splits without expanding anything. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < line.length() && line.charAt(j) != c) {
                    if (c == '"' && line.charAt(j) == '\\' && j + 1 < line.length()) {
                        j++;
                    }
                    word.append(line.charAt(j));
                    j++;
                }
                i = j;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** Splits and expands with {@code environment}. */
    static List<Word> expand(String line, Map<String, String> environment) {
        List<Word> words = new ArrayList<>();
        for (String raw : split(line)) {
            Matcher whole = WHOLE_VARIABLE.matcher(raw);
            if (whole.matches()) {
                String value = environment.get(whole.group(1));
                if (value != null) {
                    split(value).forEach(w -> words.add(new Word(w, whole.group(1))));
                }
                continue;
            }
            Matcher braced = BRACED.matcher(raw);
            StringBuilder out = new StringBuilder();
            String variable = null;
            while (braced.find()) {
                variable = braced.group(1);
                braced.appendReplacement(out, Matcher.quoteReplacement(environment.getOrDefault(braced.group(1), "")));
            }
            braced.appendTail(out);
            words.add(new Word(out.toString().replace("$$", "$"), variable));
        }
        return words;
    }
}
