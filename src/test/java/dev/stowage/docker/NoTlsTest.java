package dev.stowage.docker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoTlsTest {
    @Test
    void everyUseIsRefusedWithAReason() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> NoTls.CONTEXT.getSocketFactory());
        assertTrue(e.getMessage().contains("does not speak TLS"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> NoTls.CONTEXT.createSSLEngine());
        assertThrows(UnsupportedOperationException.class, () -> NoTls.CONTEXT.init(null, null, null));
    }
}
