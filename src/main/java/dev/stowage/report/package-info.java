/**
 * What the operator sees. Phases emit {@link dev.stowage.report.Event}s and never print; the one
 * {@link dev.stowage.report.Reporter} chosen at start-up renders them: ANSI progress bars on a
 * terminal, one plain line per unit otherwise, JSON lines with {@code --json}.
 *
 * <p>Words: a <em>unit</em> is one image (later: container, volume, network) moved in one
 * direction, with a stable key such as {@code export/image/sha256:...}; a <em>bar</em> is the
 * byte-weighted progress of a unit or of the whole run; the <em>summary</em> closes every run.
 */
package dev.stowage.report;
