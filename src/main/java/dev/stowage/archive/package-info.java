/**
 * The migration directory's on-disk format: a content-addressed blob store, the manifest, and the
 * tar streams that move blobs between the store and the engine.
 *
 * <p>Words: a <em>blob</em> is a file under {@code blobs/sha256/<hex>} whose content hashes to
 * {@code <hex>}; it only ever gets that name after its digest was checked, so a name in the store
 * is a promise. A <em>save stream</em> is what {@code GET /images/get} returns; a <em>load
 * stream</em> is the tar Stowage assembles from blobs for {@code POST /images/load}. A blob is
 * <em>reused</em> when an export finds it already stored.
 *
 * <p>This is the only package that imports commons-compress.
 */
package dev.stowage.archive;
