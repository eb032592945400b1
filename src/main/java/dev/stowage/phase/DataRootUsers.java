package dev.stowage.phase;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The processes that still use a data-root: a daemon, a shim, a shell sitting in it. Reset waits for none. */
final class DataRootUsers {
    private DataRootUsers() {
    }

    /** A process with a file open, its cwd or its root under the data-root (a daemon, a shim) blocks a reset. */
    static void refuseIfInUse(Path dataRoot) {
        List<String> users = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                if (uses(proc, dataRoot)) {
                    users.add(proc.getFileName() + " (" + command(proc) + ")");
                }
            }
        } catch (IOException e) {
            throw new StowageException(ExitCode.PRECHECK, "cannot check which processes use " + dataRoot + ": "
                    + e.getMessage(), null, e);
        }
        if (!users.isEmpty()) {
            throw new StowageException(ExitCode.PRECHECK, "processes still use " + dataRoot + ": "
                    + String.join(", ", users.subList(0, Math.min(5, users.size()))) + "; nothing was deleted",
                    "stop the Docker daemon (and its containers) first, or pass --stop-daemon");
        }
    }

    private static boolean uses(Path proc, Path dataRoot) {
        try {
            for (String link : List.of("cwd", "root")) {
                if (Files.readSymbolicLink(proc.resolve(link)).startsWith(dataRoot)) {
                    return true;
                }
            }
            try (var fds = Files.list(proc.resolve("fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        if (Files.readSymbolicLink(fd).startsWith(dataRoot)) {
                            return true;
                        }
                    } catch (IOException closed) {
                        // the descriptor closed while we looked
                    }
                }
            }
        } catch (IOException gone) {
            return false; // the process exited, or is not ours to see
        }
        return false;
    }

    private static String command(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
