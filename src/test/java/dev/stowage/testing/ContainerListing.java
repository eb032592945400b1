package dev.stowage.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a container's filesystem looks like from the outside, made by the engine and GNU tar (not
 * by Stowage): {@code docker export} piped into {@code tar -tv} with numeric owners and full
 * times, so type, mode (setuid included), owner, size, mtime, symlink and hardlink targets of every
 * path count. The files the engine makes for each container itself (/.dockerenv, /etc/hosts...,
 * /dev, /proc, /sys) are left out, and so is the mtime of /etc, which those files touch.
 */
public final class ContainerListing {
    private static final List<String> ENGINE_OWN = List.of(".dockerenv", "etc/hostname", "etc/hosts",
            "etc/resolv.conf", "etc/mtab", "dev/", "proc/", "sys/");

    private ContainerListing() {
    }

    public static String of(PrivateDaemon daemon, String container) {
        Shell.Result result = Shell.run(Map.of("DOCKER_HOST", daemon.host()), List.of("bash", "-c",
                "set -o pipefail; docker export '" + container + "' | tar -tvf - --numeric-owner"
                        + " --full-time --quoting-style=escape"), null, 300);
        result.requireSuccess(List.of("docker export", container));
        TreeMap<String, String> lines = new TreeMap<>();
        for (String line : result.stdout().split("\n")) {
            // -rw-r--r-- 0/0 6 2001-02-03 04:05:06 added.txt
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 6) {
                continue;
            }
            String rest = f[5];
            String path = rest.split(" -> | link to ")[0];
            String normalized = path.startsWith("./") ? path.substring(2) : path;
            if (normalized.isEmpty() || ENGINE_OWN.stream().anyMatch(own -> normalized.equals(own)
                    || (own.endsWith("/") && (normalized + "/").startsWith(own)))) {
                continue;
            }
            boolean dir = f[0].startsWith("d");
            String size = dir ? "-" : f[2];
            // the engine's own files change the mtime of / and /etc when it makes a container
            String time = dir && (normalized.equals("etc/") || normalized.equals("./")) ? "-" : f[3] + " " + f[4];
            lines.put(normalized, f[0] + " " + f[1] + " " + size + " " + time + " " + rest);
        }
        StringBuilder text = new StringBuilder();
        lines.values().forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /** The host directory that holds a container's writable layer (overlay2: upper dir; vfs: its rootfs). */
    public static Path layerDir(PrivateDaemon daemon, String container) {
        String driver = daemon.dockerOk("inspect", "-f", "{{.GraphDriver.Name}}", container);
        if (driver.equals("overlay2")) {
            return Path.of(daemon.dockerOk("inspect", "-f", "{{.GraphDriver.Data.UpperDir}}", container));
        }
        String id = daemon.dockerOk("inspect", "-f", "{{.Id}}", container);
        Path dataRoot = Path.of(daemon.dockerOk("info", "-f", "{{.DockerRootDir}}"));
        try {
            String mountId = Files.readString(dataRoot.resolve("image").resolve(driver)
                    .resolve("layerdb/mounts").resolve(id).resolve("mount-id")).trim();
            return dataRoot.resolve(driver).resolve("dir").resolve(mountId);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
