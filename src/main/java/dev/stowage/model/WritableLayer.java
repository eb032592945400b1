package dev.stowage.model;

import java.nio.file.Path;

/**
 * Where a container's writable layer lives on the host.
 *
 * @param kind {@code OVERLAY}: an overlayfs upper directory, holding only the changes, with
 *     deletions as 0/0 character devices and opaque directories marked by an xattr;
 *     {@code ROOTFS}: a full copy of the container's filesystem (vfs, btrfs), where a deletion is
 *     simply absent
 */
public record WritableLayer(Path dir, Kind kind) {
    public enum Kind { OVERLAY, ROOTFS }
}
