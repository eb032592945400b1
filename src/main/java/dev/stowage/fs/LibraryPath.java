package dev.stowage.fs;

/**
 * JNA's first use of a native library runs {@code ldconfig -p} (a fork and exec: 20-30 ms of every
 * Stowage start) to learn the system's library directories, unless the property
 * {@code jna.platform.library.path} is set. Stowage loads only libc, by its soname, which the
 * dynamic loader finds without any search path; the directories set here are JNA's own defaults
 * without ldconfig's additions. A value given on the command line is left alone.
 */
public final class LibraryPath {
    private static final String PROPERTY = "jna.platform.library.path";

    private LibraryPath() {
    }

    /** Call before the first native library is loaded. */
    public static void withoutLdconfig() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        String triple = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            default -> "";
        };
        String multiarch = triple.isEmpty() ? "" : "/usr/lib/" + triple + ":/lib/" + triple + ":";
        System.setProperty(PROPERTY, multiarch + "/usr/lib64:/lib64:/usr/lib:/lib");
    }
}
