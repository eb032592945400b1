/**
 * Crash-safe filesystem writes, small filesystem facts, and the system calls the JDK lacks.
 *
 * <p>Words: an <em>atomic write</em> goes to a temp file in the target's directory, is fsynced,
 * renamed over the target, and then the directory is fsynced, so that after a crash the target
 * holds either the old or the new content, never a mix. <em>Private</em> files and directories
 * are readable by root only (0600 / 0700): a migration directory holds every image on the host.
 *
 * <p>A <em>handle</em> ({@link dev.stowage.fs.DirHandle}, {@link dev.stowage.fs.FileHandle}) is an
 * open file descriptor used through libc by JNA: statx, *xattr, openat with O_NOFOLLOW, mknodat,
 * linkat, utimensat, SEEK_DATA/SEEK_HOLE. Names are raw bytes, never Strings that could mangle
 * them; where a String must carry one it is ISO-8859-1 ({@link dev.stowage.fs.Names}). Operations
 * on a name never follow it if it is a symlink. A <em>hole</em> is a range of a sparse file with
 * no blocks allocated; it reads as zeros.
 *
 * <p>This package depends on nothing else in Stowage.
 */
package dev.stowage.fs;
