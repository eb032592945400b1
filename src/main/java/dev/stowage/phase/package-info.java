/**
 * The steps of a migration, run in order. Each phase checks before it acts, emits events instead
 * of printing, and can be run again: what is already done is found and skipped.
 *
 * <p>Words: a <em>workspace</em> is an opened, locked migration directory; <em>export</em> reads
 * the daemon into the workspace; <em>import</em> writes the workspace into a daemon and then
 * <em>verifies</em> that everything is there.
 */
package dev.stowage.phase;
