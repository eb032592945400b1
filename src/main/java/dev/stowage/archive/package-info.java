/**
 * The migration directory's on-disk format: a content-addressed blob store, the manifest, and the
 * tar streams that move blobs between the store and the engine or a directory tree.
 *
 * <p>Words: a <em>blob</em> is a file under {@code blobs/sha256/<hex>} whose content hashes to
 * {@code <hex>}; it only ever gets that name after its digest was checked, so a name in the store
 * is a promise. A <em>save stream</em> is what {@code GET /images/get} returns; a <em>load
 * stream</em> is the tar Stowage assembles from blobs for {@code POST /images/load}. A blob is
 * <em>reused</em> when an export finds it already stored.
 *
 * <p>A <em>tree archive</em> is the tar of a directory tree (a volume, a container's writable
 * layer) with full fidelity: numeric owners, all mode bits, nanosecond mtimes, every xattr
 * (ACLs and file capabilities included), hardlinks, symlinks, fifos, devices and holes
 * ({@link dev.stowage.archive.TreeWriter}). <em>Safe extraction</em> puts it back and refuses any
 * entry that would land outside the root ({@link dev.stowage.archive.TreeExtractor}). A <em>tree
 * digest</em> is a SHA-256 over what a tree archive keeps, computed from the tree itself, so a
 * tree can be compared before and after a move ({@link dev.stowage.archive.TreeDigest}).
 * <em>Compression</em> is {@code none} or multithreaded {@code zstd}.
 *
 * <p>This is the only package that imports commons-compress. It reads every tar; tree archives are
 * written by {@link dev.stowage.archive.TarOutput}, whose records are byte for byte those of
 * commons-compress's writer at a fraction of its per-entry cost, fed by a reading thread
 * ({@link dev.stowage.archive.EntryPipe}).
 */
package dev.stowage.archive;
