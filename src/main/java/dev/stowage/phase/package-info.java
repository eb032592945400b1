/**
 * The steps of a migration, run in order. Each phase checks before it acts, emits events instead
 * of printing, and can be run again: what is already done is found and skipped.
 *
 * <p>Words: a <em>workspace</em> is an opened, locked migration directory; <em>export</em> reads
 * the daemon into the workspace; <em>import</em> writes the workspace into a daemon and then
 * <em>verifies</em> that everything is there.
 *
 * <p>The <em>preflight</em> of a run that writes ({@link dev.stowage.phase.Preflight}), before its
 * first write:
 * <ul>
 * <li>the <em>health gate</em> ({@link dev.stowage.phase.HealthGate}): the disk health check on the
 *     filesystems under the run's paths; stalled refuses (exit code 11) unless ignored, degraded
 *     warns;</li>
 * <li>the <em>space plan</em> (built by {@code ExportSpace} and {@code ImportSpace} from the phases'
 *     own plans, judged by the {@code plan} package, held to by {@code SpaceGate}): what each
 *     filesystem must take, against what it has free; a plan that does not fit refuses (exit code 4),
 *     and {@code --dry-run} prints it.</li>
 * </ul>
 * During the long phases a <em>watch</em> ({@link dev.stowage.phase.DiskWatch}) samples the disks'
 * passive signals from a background thread; each unit of work (a blob of a stream, a volume, a
 * container) is <em>paced</em> by it: held while a disk is stalled, for at most the stall patience.
 */
package dev.stowage.phase;
