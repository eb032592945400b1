package dev.stowage.testing;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private dockerd per test class: started and seeded before the class's tests, stopped and
 * removed after them, whether they pass or fail. Register it on a static field:
 * {@code @RegisterExtension static DockerdExtension source = DockerdExtension.of("overlay2", ImageFixtures::small);}
 */
public final class DockerdExtension implements BeforeAllCallback, AfterAllCallback {
    private final String driver;
    private final Consumer<PrivateDaemon> seed;
    private PrivateDaemon daemon;

    private DockerdExtension(String driver, Consumer<PrivateDaemon> seed) {
        this.driver = driver;
        this.seed = seed;
    }

    public static DockerdExtension of(String driver, Consumer<PrivateDaemon> seed) {
        return new DockerdExtension(driver, seed);
    }

    public static DockerdExtension empty(String driver) {
        return new DockerdExtension(driver, daemon -> {
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        daemon = PrivateDaemon.start(driver);
        try {
            seed.accept(daemon);
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (daemon != null) {
            daemon.close();
        }
    }

    public PrivateDaemon daemon() {
        return daemon;
    }
}
