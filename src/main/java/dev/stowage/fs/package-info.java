/**
 * Crash-safe filesystem writes and small filesystem facts.
 *
 * <p>Words: an <em>atomic write</em> goes to a temp file in the target's directory, is fsynced,
 * renamed over the target, and then the directory is fsynced, so that after a crash the target
 * holds either the old or the new content, never a mix. <em>Private</em> files and directories
 * are readable by root only (0600 / 0700): a migration directory holds every image on the host.
 *
 * <p>This package depends on nothing else in Stowage.
 */
package dev.stowage.fs;
