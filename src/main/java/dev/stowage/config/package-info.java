/**
 * dockerd's storage configuration: reading it, planning a change, and writing it safely.
 *
 * <p>Words:
 * <ul>
 * <li>The <em>storage settings</em> are the driver ({@code storage-driver}), the data-root
 *     ({@code data-root}, formerly {@code graph}) and the driver's options ({@code storage-opts}).
 *     {@link dev.stowage.config.StorageSettings} holds what dockerd would start with.</li>
 * <li>The <em>launch</em> is how dockerd gets started, and so its flags: the effective
 *     {@code ExecStart=} of {@code docker.service} (unit file first on the systemd search path, then
 *     drop-ins in name order; the last {@code ExecStart=} after an empty reset wins), with
 *     {@code $VAR} and {@code ${VAR}} expanded from {@code Environment=} and
 *     {@code EnvironmentFile=} (/etc/sysconfig/docker {@code OPTIONS}, /etc/default/docker
 *     {@code DOCKER_OPTS}, ...) as systemd expands them. Without a unit, the variables the init
 *     scripts pass.</li>
 * <li>A <em>conflict</em> is a setting given both as a flag and as a daemon.json key (also
 *     {@code -g}/{@code --graph} against {@code data-root}): dockerd refuses to start ("the
 *     following directives are specified both as a flag and in the configuration file").</li>
 * <li>The <em>home</em> of a setting is the one file it is written to: daemon.json, or
 *     {@code DOCKER_STORAGE_OPTIONS} in /etc/sysconfig/docker-storage where the launch takes it
 *     (RHEL). A copy of it in the other file is removed, never left behind.</li>
 * <li>A <em>backup</em> is the old content beside the file, {@code NAME.stowage-TIMESTAMP.bak},
 *     0600, fsynced, written before the file is replaced, and only once per old content.</li>
 * </ul>
 *
 * <p>API, for {@code stowage storage modify} and the migration's modify phase:
 * <ul>
 * <li>{@link dev.stowage.config.DaemonConfig#read(dev.stowage.config.HostLayout)}: reads daemon.json,
 *     docker-storage and the launch. {@link dev.stowage.config.HostLayout#host()} for the real host,
 *     {@link dev.stowage.config.HostLayout#under} for files under another root (tests).</li>
 * <li>{@link dev.stowage.config.DaemonConfig#plan(dev.stowage.config.StorageEdit)}: a
 *     {@link dev.stowage.config.ConfigChange} with the new content of each file ({@code diff()}
 *     gives the unified diff), findings (blockers: conflicts left behind, a config file dockerd does
 *     not read, a setting in both files with different values), and the settings before and after.
 *     Touches nothing. {@link dev.stowage.config.StorageEdit#target} builds the edit of a migration
 *     target.</li>
 * <li>{@link dev.stowage.config.DaemonConfig#apply(dev.stowage.config.ConfigChange)}: backs up, then
 *     replaces each file atomically ({@link dev.stowage.fs.AtomicFile}) with its old mode and owner.
 *     Idempotent: applying again, or after a crash part way, writes nothing twice and takes no second
 *     backup; a file changed since the plan is refused. Re-planning the same edit after it was
 *     applied gives an empty change.</li>
 * </ul>
 * The target itself (driver support, filesystem, data-root contents) is checked by
 * {@code dev.stowage.probe.StorageTargetCheck}, which owns host facts; a caller runs both and
 * refuses on any {@link dev.stowage.model.Precheck} that blocks.
 *
 * <p>daemon.json edits keep every other key, the key order and the file's formatting: members
 * are replaced in the text, not re-serialised. A file that is not valid JSON is refused with its
 * line and column. Nothing here prints or exits.
 */
package dev.stowage.config;
