package dev.stowage.archive;

/** The image layer format's markers for deletions, as Docker and the OCI spec write them. */
final class LayerPaths {
    /** {@code .wh.<name>}: {@code <name>} was deleted. */
    static final String WHITEOUT_PREFIX = ".wh.";
    /** {@code .wh..wh..opq} inside a directory: whatever lower layers had in it is hidden. */
    static final String OPAQUE = ".wh..wh..opq";
    /** The xattr overlayfs reads to treat a directory as opaque. */
    static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

    private LayerPaths() {
    }
}
