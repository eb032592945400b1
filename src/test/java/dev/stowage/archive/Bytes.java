package dev.stowage.archive;

import dev.stowage.model.BlobRef;
import dev.stowage.model.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Test content and its digest, computed independently of the code under test. */
final class Bytes {
    private Bytes() {
    }

    static Digest sha256(byte[] content) {
        try {
            return Digest.of(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static BlobRef ref(byte[] content) {
        return new BlobRef(sha256(content), content.length);
    }

    /** Reproducible pseudo-random content, so that every blob of a test differs. */
    static byte[] random(int length, long seed) {
        byte[] content = new byte[length];
        new Random(seed).nextBytes(content);
        return content;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
