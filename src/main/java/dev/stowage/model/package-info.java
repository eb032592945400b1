/**
 * Immutable values shared by every layer of Stowage.
 *
 * <p>Words: a <em>digest</em> names content ({@code sha256:<hex>}); a <em>blob</em> is content
 * kept under its digest; an <em>image record</em> is what the manifest keeps of one image; the
 * <em>manifest</em> is the index of one export; <em>daemon facts</em> describe the engine an
 * export came from. {@link dev.stowage.model.StowageException} is the one error family: every
 * failure carries a message, a remedy and an {@link dev.stowage.model.ExitCode}.
 *
 * <p>This package depends on nothing else in Stowage.
 */
package dev.stowage.model;
