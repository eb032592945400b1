package dev.stowage.fs;

import java.nio.charset.StandardCharsets;

/**
 * File names are byte strings. Where they must travel as Java Strings (tar headers, xattr names),
 * Stowage uses ISO-8859-1, which maps every byte to one char and back, so no name is ever
 * mangled; {@link #display} is only for messages.
 */
public final class Names {
    private Names() {
    }

    /** The byte-exact String form of {@code bytes} (one char per byte). */
    public static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** For messages: the name as UTF-8, with undecodable bytes shown as U+FFFD. */
    public static String display(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** For messages: a latin1 String name shown as UTF-8. */
    public static String display(String latin1) {
        return display(bytes(latin1));
    }
}
