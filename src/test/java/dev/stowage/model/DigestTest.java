package dev.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void parsesPrefixedAndBareHex() {
        assertEquals(new Digest(HEX), Digest.parse("sha256:" + HEX));
        assertEquals(new Digest(HEX), Digest.parse(HEX));
    }

    @Test
    void printsWithItsAlgorithm() {
        assertEquals("sha256:" + HEX, Digest.parse(HEX).toString());
        assertEquals("9f86d081884c", Digest.parse(HEX).shortHex());
    }

    @Test
    void ofRawBytesMatchesTheHexForm() throws Exception {
        byte[] raw = MessageDigest.getInstance("SHA-256").digest("test".getBytes(StandardCharsets.UTF_8));
        assertEquals(new Digest(HEX), Digest.of(raw));
    }

    @Test
    void rejectsAnythingButLowercaseSha256Hex() {
        for (String bad : new String[] {"", "sha256:", HEX.substring(1), HEX + "0", HEX.toUpperCase(),
            "sha512:" + HEX, "md5:" + HEX, "sha256:" + HEX.replace('a', 'g'), " " + HEX}) {
            assertThrows(IllegalArgumentException.class, () -> Digest.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new Digest(null));
    }

    @Test
    void ordersByHex() {
        assertEquals(-1, Integer.signum(Digest.parse("0".repeat(64)).compareTo(Digest.parse("f".repeat(64)))));
    }
}
