/**
 * Run coordination inside the migration directory.
 *
 * <p>Words: the <em>run lock</em> is an exclusive {@code flock} on {@code <dir>/lock}, held for
 * the whole run so that two stowage processes never write one migration directory at once. The
 * kernel drops it when the process dies, even by {@code kill -9}, so a crash never leaves a stale
 * lock behind.
 */
package dev.stowage.journal;
