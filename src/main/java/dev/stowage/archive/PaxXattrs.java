package dev.stowage.archive;

import dev.stowage.fs.Names;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Carries extended attributes in PAX records, byte-exact.
 *
 * <p>commons-compress holds PAX values as Strings and always encodes and decodes them as UTF-8,
 * so a value that is not valid UTF-8 (a security.capability blob, an ACL) would come back
 * mangled, and an empty value is read as "delete this key". So each attribute takes one of
 * three forms:
 * <ul>
 * <li>{@code SCHILY.xattr.<name>=<value>}: the name is valid UTF-8 without '=' or '%', and the
 *     value is non-empty valid UTF-8 (SELinux labels, most user.* values). This is what GNU tar
 *     writes and reads.
 * <li>{@code LIBARCHIVE.xattr.<%-encoded name>=<base64 value>}: any other non-empty value. This is
 *     libarchive's own binary-safe record, so bsdtar restores it too.
 * <li>{@code STOWAGE.xattr.empty.<%-encoded name>=1}: an empty value, which no other PAX form can
 *     carry through commons-compress.
 * </ul>
 * The %-encoding escapes bytes outside '!'..'~' and the characters '%' and '=', as libarchive does.
 */
final class PaxXattrs {
    static final String SCHILY = "SCHILY.xattr.";
    static final String LIBARCHIVE = "LIBARCHIVE.xattr.";
    static final String EMPTY = "STOWAGE.xattr.empty.";

    private PaxXattrs() {
    }

    /** Adds the records for {@code xattrs} (latin1 names, raw values) to {@code pax}. */
    static void put(Map<String, String> pax, SortedMap<String, byte[]> xattrs) {
        for (Map.Entry<String, byte[]> xattr : xattrs.entrySet()) {
            byte[] name = Names.bytes(xattr.getKey());
            byte[] value = xattr.getValue();
            String utf8Name = plainName(name);
            String utf8Value = value.length == 0 ? null : utf8(value);
            if (utf8Name != null && utf8Value != null) {
                pax.put(SCHILY + utf8Name, utf8Value);
            } else if (value.length > 0) {
                pax.put(LIBARCHIVE + percentEncode(name), Base64.getEncoder().encodeToString(value));
            } else {
                pax.put(EMPTY + percentEncode(name), "1");
            }
        }
    }

    /** The attributes recorded in {@code pax}, as latin1 names and raw values. */
    static SortedMap<String, byte[]> get(Map<String, String> pax) {
        SortedMap<String, byte[]> xattrs = null;
        for (Map.Entry<String, String> record : pax.entrySet()) {
            String key = record.getKey();
            String name;
            byte[] value;
            if (key.startsWith(SCHILY)) {
                name = Names.latin1(key.substring(SCHILY.length()).getBytes(StandardCharsets.UTF_8));
                if (xattrs != null && xattrs.containsKey(name)) {
                    continue; // the LIBARCHIVE form of the same attribute is the exact one
                }
                value = record.getValue().getBytes(StandardCharsets.UTF_8);
            } else if (key.startsWith(LIBARCHIVE)) {
                name = Names.latin1(percentDecode(key.substring(LIBARCHIVE.length())));
                value = Base64.getDecoder().decode(record.getValue().trim());
            } else if (key.startsWith(EMPTY)) {
                name = Names.latin1(percentDecode(key.substring(EMPTY.length())));
                value = new byte[0];
            } else {
                continue;
            }
            if (xattrs == null) {
                xattrs = new TreeMap<>();
            }
            xattrs.put(name, value);
        }
        return xattrs == null ? Collections.emptySortedMap() : xattrs;
    }

    private static String plainName(byte[] name) {
        for (byte b : name) {
            if (b == '=' || b == '%') {
                return null;
            }
        }
        return utf8(name);
    }

    /** {@code bytes} as a String if they are strictly valid UTF-8 (so encoding gives them back), else null. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String percentEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c < '!' || c > '~' || c == '%' || c == '=') {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    static byte[] percentDecode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '%' && i + 2 < utf8.length) {
                int hi = Character.digit(utf8[i + 1], 16);
                int lo = Character.digit(utf8[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.put((byte) (hi << 4 | lo));
                    i += 2;
                    continue;
                }
            }
            out.put(utf8[i]);
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }
}
