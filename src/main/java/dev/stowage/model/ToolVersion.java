package dev.stowage.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, stamped in by Maven resource filtering. */
public final class ToolVersion {
    private static final String VERSION = load();

    private ToolVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = ToolVersion.class.getResourceAsStream("/dev/stowage/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
