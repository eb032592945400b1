/**
 * Disk health: is the disk under a path able to take a migration now? Answers healthy, degraded
 * or stalled, with findings that say why and what to do.
 *
 * <p>Words:
 * <ul>
 * <li>A <em>target</em> is one filesystem to check, with the paths that asked for it and the block
 *     device under it (a partition's whole disk, a loop device, a device-mapper node).</li>
 * <li>A <em>snapshot</em> is the passive signals at one instant, read from /proc without adding IO:
 *     IO pressure (PSI, host-wide), the diskstats rows, and the threads in D state with their
 *     wchan, context-switch count and the filesystems their process holds files on.</li>
 * <li>The <em>passive window</em> is a few snapshots over up to 3 s. A thread is <em>stuck</em> if it
 *     stayed in D state across the window without a single context switch; a device is
 *     <em>stuck</em> if requests stayed in flight with none completing for 2 s, and
 *     <em>rate-capped</em> if its completions stayed flat at a low ceiling while requests queued and
 *     waited 50 ms or more (the signature of a cloud volume out of burst credits: requests are held
 *     back, not failed).</li>
 * <li>The <em>active probe</em> times a few tens of 4 KiB direct synchronous writes, then reads, one
 *     at a time, in a temp file on the target, from a child process ({@link
 *     dev.stowage.probe.IoProbeChild}) under a watchdog: a write the disk never completes can
 *     hang only the child, which is abandoned. It is skipped when the passive signals already say
 *     stalled.</li>
 * <li>A <em>finding</em> is one observation with the verdict it argues for; the <em>verdict</em> is
 *     the worst of them. Host-wide signals (PSI, stuck threads that cannot be tied to a target)
 *     are shown as notes and never decide a verdict, because they do not say which disk.</li>
 * </ul>
 *
 * <p>API, for {@code stowage probe} and for the gate in export, import and migrate:
 * <ul>
 * <li>{@link dev.stowage.probe.DiskHealth#check(java.util.List, java.time.Duration)}: passive window,
 *     then the active probe, all within the budget; a {@link dev.stowage.probe.HealthReport} whose
 *     {@code verdict()} maps to exit codes 0, 10 and 11 and whose {@code problems()} are what to show
 *     when refusing or warning.</li>
 * <li>{@link dev.stowage.probe.DiskHealth#sample(java.util.List, java.time.Duration)}: passive only,
 *     over a window.</li>
 * <li>{@link dev.stowage.probe.DiskHealth#watch(java.util.List, java.time.Duration)}: a {@link
 *     dev.stowage.probe.PassiveWatch} to call every second or so from a background thread during
 *     long phases; each call judges the last window of snapshots and adds no IO.</li>
 * <li>{@link dev.stowage.probe.HealthSummary} renders a report as JSON fields and text lines.</li>
 * </ul>
 *
 * <p>Storage targets, for {@code storage modify} and the migration's precheck:
 * {@link dev.stowage.probe.StorageTargetCheck#validate(String, java.nio.file.Path, java.util.List)}
 * says whether dockerd could run a driver on a data-root, as {@link dev.stowage.model.Precheck}s:
 * real checks where possible (an overlay mount and a d_type readdir in a scratch directory on the
 * target, {@code xfs_info} for ftype), the filesystem the data-root resolves to, and what it holds.
 *
 * <p>Nothing here prints or exits. Thresholds sit with their rules ({@code ActiveRules},
 * {@code DeviceRules}, {@code ThreadRules}, {@code FilesystemRules}), each with the reason for its
 * value.
 */
package dev.stowage.probe;
