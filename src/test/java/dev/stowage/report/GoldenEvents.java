package dev.stowage.report;

import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event of every kind the commands emit, with every optional field at least once, in roughly
 * the order runs emit them: the input of {@link JsonReporterGoldenTest}. The values are made up but
 * shaped like the phases' (see the UnitDone and Summary calls under {@code dev.stowage.phase} and
 * {@code dev.stowage.cli}).
 */
final class GoldenEvents {
    static final String ID_A = "sha256:" + "a".repeat(64);
    static final String ID_B = "sha256:" + "b".repeat(64);
    static final String CONTAINER = "c".repeat(64);

    private GoldenEvents() {
    }

    static void emit(Reporter reporter) {
        export(reporter);
        importing(reporter);
        verifyResetMigrate(reporter);
        modify(reporter);
        status(reporter);
        probe(reporter);
        reporter.error(new StowageException(ExitCode.VERIFY, "import verification failed: tag app:2 is missing",
                "run import again"), "dev.stowage.model.StowageException: import verification failed\n\tat Main");
        reporter.error(new StowageException(ExitCode.DAEMON, "cannot reach the Docker daemon", null), null);
    }

    private static void export(Reporter reporter) {
        reporter.emit(new Event.Step("exporting images from unix:///run/docker.sock (Docker 20.10.24, API 1.41,"
                + " overlay2 on /var/lib/docker)"));
        reporter.emit(unit("export/image/" + ID_B, "app:2", "reused", 1024, "id", ID_B, "layers", 2));
        reporter.emit(unit("export/image/" + ID_A, "app:1", "would-save", 4096, "id", ID_A, "layers", 2));
        reporter.emit(new Event.Progress("saving images",
                List.of(new Event.Bar("app:1", 1000, 4096)), new Event.Bar("all", 1000, 4096)));
        reporter.emit(new Event.Progress("saving images", List.of(), new Event.Bar("all", 4096, 4096)));
        reporter.emit(unit("export/image/" + ID_A, "app:1", "exported", 4096, "id", ID_A, "tags", 1, "layers", 2,
                "new_layers", 1));
        reporter.emit(Event.Notice.warning("blob sha256:cc is corrupt; it will be saved again", "check the disk"));
        reporter.emit(Event.Notice.info("2 repo digests recorded"));
        reporter.emit(unit("export/network/backend", "backend", "recorded", 0, "driver", "bridge",
                "subnets", "10.20.0.0/24"));
        reporter.emit(unit("export/stop/" + CONTAINER, "web", "stopped", 0, "was", "running"));
        reporter.emit(unit("export/volume/webdata", "webdata", "exported", 52480, "files", 14, "stored_bytes", 9214L,
                "compression", "zstd"));
        reporter.emit(unit("export/volume/logs", "logs", "reused", 2048, "files", 3));
        reporter.emit(unit("export/container/" + CONTAINER, "web", "exported", 1536, "state", "running",
                "changes", 3, "layer_entries", 3L, "networks", 1));
        reporter.emit(unit("export/container/" + "d".repeat(64), "job", "reused", 0, "state", "exited"));
        reporter.emit(new Event.Summary("export", fields("images", 2, "tags", 2, "untagged_images", 0L, "blobs", 5,
                "blobs_written", 3, "bytes_written", 4096L, "bytes_streamed", 6144L, "unique_bytes", 5120L,
                "logical_bytes", 8192L, "dedup_saved_bytes", 3072L, "repo_digests_recorded", 2L, "images_from_layer_store", 2,
                "images_via_save", 0, "image_seconds", 1.1, "networks", 1, "volumes", 2, "volume_bytes", 54528L, "containers", 2, "containers_stopped", 1,
                "live", false, "seconds", 1.42, "directory", "/var/lib/stowage/migrate", "estimated_bytes", 63488L),
                List.of("exported")));
        reporter.emit(new Event.Summary("export", fields("dry_run", true, "images", 2, "images_to_save", 1,
                "tags", 2L, "untagged_images", 0L, "estimated_image_bytes", 4096L, "volumes", 2,
                "estimated_volume_bytes", 57344L, "containers", 2, "containers_to_stop", 1L, "estimated_bytes", 63488L,
                "free_bytes", 1_000_000_000L, "fits", true, "space_plan", List.of(need("image blobs", "/var/lib/stowage/migrate",
                        false), need("daemon's save", "/var/lib/docker/tmp", true)),
                "space_totals", List.of(total("/var/lib/stowage/migrate"), total("/var/lib/docker"))), List.of("dry run")));
    }

    private static void importing(Reporter reporter) {
        reporter.emit(unit("import/network/backend", "backend", "would-create", 0, "driver", "bridge",
                "subnets", "10.20.0.0/24"));
        reporter.emit(unit("import/network/backend", "backend", "created", 0, "driver", "bridge",
                "subnets", "10.20.0.0/24"));
        reporter.emit(unit("import/network/frontend", "frontend", "present", 0, "driver", "bridge", "subnets", ""));
        reporter.emit(unit("import/volume/webdata", "webdata", "would-create", 52480, "files", 14));
        reporter.emit(unit("import/volume/logs", "logs", "exists", 2048, "files", 3));
        reporter.emit(unit("import/volume/webdata", "webdata", "created", 52480, "files", 14));
        reporter.emit(unit("import/volume/logs", "logs", "filled", 2048, "files", 3));
        reporter.emit(unit("import/volume/cache", "cache", "present", 0));
        reporter.emit(unit("import/volume/webdata", "webdata", "present", 0, "files", 14));
        reporter.emit(unit("import/image/" + ID_A, "app:1", "would-load", 4096, "id", ID_A, "tags", 1));
        reporter.emit(new Event.Progress("loading images", List.of(), new Event.Bar("all", 4096, 4096)));
        reporter.emit(unit("import/image/" + ID_A, "app:1", "loaded", 4096, "id", ID_A, "tags", 1, "layers", 2));
        reporter.emit(unit("import/image/" + ID_B, "app:2", "present", 0, "id", ID_B, "tags_added", 1));
        reporter.emit(unit("import/container/" + CONTAINER, "web", "would-create", 0, "state", "running"));
        reporter.emit(unit("import/container/" + "d".repeat(64), "job", "conflict", 0, "state", "exited"));
        reporter.emit(unit("import/container/" + CONTAINER, "web", "created", 1536, "id", "e".repeat(64),
                "state", "running"));
        reporter.emit(unit("import/container/" + "d".repeat(64), "job", "present", 0));
        reporter.emit(unit("import/container/" + CONTAINER, "web", "present", 0, "state", "running"));
        reporter.emit(unit("import/start/" + CONTAINER, "web", "started", 0, "state", "running"));
        reporter.emit(new Event.Summary("import", fields("images", 2, "images_loaded", 1, "images_present", 1,
                "tags", 2L, "tags_added", 1, "tag_conflicts", 0, "bytes_streamed", 4608L,
                "repo_digests_not_restored", 2L, "image_seconds", 0.5, "networks", 2, "volumes", 3, "containers", 2,
                "verified", true, "differences", 0, "seconds", 0.87), List.of("imported")));
        reporter.emit(new Event.Summary("import", fields("dry_run", true, "images_to_load", 1, "images_present", 1,
                "tags_to_add", 1, "tag_conflicts", 0, "bytes_to_load", 4096L, "networks", 2, "volumes", 3,
                "containers", 2, "conflicts", 1, "fits", true, "space_plan", List.of(need("images (overlay2)",
                        "/var/lib/docker", false)), "space_totals", List.of(total("/var/lib/docker"))), List.of("dry run")));
    }

    private static void verifyResetMigrate(Reporter reporter) {
        reporter.emit(Event.Notice.warning("container web: state is exited, the export says running", null));
        reporter.emit(new Event.Summary("verify", fields("differences", 1, "verified", false), List.of("verified")));
        reporter.emit(new Event.Summary("reset", fields("dry_run", true, "data_root", "/var/lib/docker",
                "bytes", 1_073_741_824L, "keep_old", false, "forced", false), List.of("dry run")));
        reporter.emit(new Event.Summary("reset", fields("dry_run", false, "data_root", "/var/lib/docker",
                "bytes", 1_073_741_824L, "keep_old", true, "forced", false, "kept_at",
                "/var/lib/docker.stowage-old-20261201-050000"), List.of("reset")));
        reporter.emit(new Event.Step("== stop-daemon: stop the Docker daemon"));
        reporter.emit(Event.Notice.info("would reset: wipe the old data-root (the point of no return)"));
        reporter.emit(new Event.Summary("migrate", fields("changed", true, "target_driver", "overlay2",
                "target_data_root", "/var/lib/docker", "phases", 10, "verified", true, "seconds", 41.3),
                List.of("migrated")));
        reporter.emit(new Event.Summary("migrate", fields("changed", false, "target_driver", "overlay2",
                "target_data_root", "/var/lib/docker"), List.of("nothing to migrate")));
        reporter.emit(new Event.Summary("migrate", fields("dry_run", true, "changed", false),
                List.of("dry run: nothing to migrate")));
    }

    private static void modify(Reporter reporter) {
        reporter.emit(Event.Notice.warning("/srv/docker is on xfs without d_type (ftype=0): overlay2 refuses it",
                "use a filesystem made with mkfs.xfs -n ftype=1"));
        Map<String, Object> before = fields("data_root", "/var/lib/docker", "storage_opts", List.of());
        Map<String, Object> after = fields("driver", "overlay2", "data_root", "/srv/docker",
                "storage_opts", List.of("overlay2.size=20G"));
        Map<String, Object> file = fields("path", "/etc/docker/daemon.json", "action", "replace", "written", true,
                "backup", "/etc/docker/daemon.json.stowage-20261201T050000Z.bak",
                "changes", List.of("storage-driver: (unset) -> overlay2", "data-root: /var/lib/docker -> /srv/docker"));
        List<Map<String, Object>> findings = List.of(fields("level", "ok", "check", "d_type", "subject", "/srv/docker",
                "message", "d_type is supported"), fields("level", "blocker", "check", "xfs_ftype", "subject",
                "/srv/docker", "message", "xfs without ftype", "remedy", "mkfs.xfs -n ftype=1"));
        reporter.emit(new Event.Summary("modify", fields("dry_run", false, "blocked", false, "changed", true,
                "before", before, "after", after, "files", List.of(file), "diff", "--- a\n+++ b\n", "findings",
                findings.subList(0, 1)), List.of("wrote /etc/docker/daemon.json")));
        Map<String, Object> configured = fields("driver", "devicemapper", "data_root", "/var/lib/docker",
                "storage_opts", List.of("dm.basesize=20G"));
        reporter.emit(new Event.Summary("modify", fields("dry_run", true, "blocked", true, "changed", false,
                "before", configured, "after", after, "files", List.of(fields("path", "/etc/docker/daemon.json",
                        "action", "create", "written", false, "changes", List.of("storage-driver: (unset) -> overlay2"))),
                "diff", "", "findings", findings), List.of("refused")));
    }

    private static void status(Reporter reporter) {
        Map<String, Object> target = fields("driver", "overlay2", "data_root", "/srv/docker",
                "storage_opts", List.of("overlay2.size=20G"), "config_file", "/etc/docker/daemon.json");
        reporter.emit(new Event.Summary("status", fields("in_progress", true, "running", true,
                "holder", "pid 4242 storage migrate", "target", target,
                "phases", List.of(fields("phase", "precheck", "state", "done"),
                        fields("phase", "export", "state", "in progress (running)")),
                "units_done", fields("export/image", 6, "export/volume", 2),
                "next", "export: export images, containers, volumes and networks"), List.of("status")));
        Map<String, Object> idle = new LinkedHashMap<>();
        idle.put("in_progress", false);
        idle.put("running", false);
        idle.put("target", null);
        idle.put("phases", List.of(fields("phase", "precheck", "state", "to do")));
        idle.put("units_done", Map.of());
        idle.put("next", null);
        reporter.emit(new Event.Summary("status", idle, List.of("no migration in progress")));
    }

    private static void probe(Reporter reporter) {
        Map<String, Object> latency = fields("count", 20, "p50_ms", 0.41, "p95_ms", 1.2, "max_ms", 3.5,
                "slow_count", 0, "per_second", 850.0);
        Map<String, Object> disk = fields("paths", List.of("/var/lib/docker", "/var/lib/stowage/migrate"),
                "verdict", "healthy", "probe_dir", "/var/lib/stowage/migrate", "mount_point", "/", "fs_type", "ext4",
                "source", "/dev/nvme0n1p1", "device", "nvme0n1", "device_id", "259:0", "partition", "nvme0n1p1",
                "space", fields("total_bytes", 100_000_000_000L, "available_bytes", 40_000_000_000L,
                        "inodes", 6_553_600L, "available_inodes", 5_000_000L, "read_only", false),
                "fs_errors", 0L,
                "diskstats", fields("seconds", 3.0, "reads_per_second", 12.5, "writes_per_second", 40.0,
                        "await_ms", 0.8, "util_percent", 4.1, "queue_depth", 0.05, "in_flight", 0L),
                "active", fields("mode", "direct+dsync", "seconds", 0.05, "writes", latency, "reads", latency));
        Map<String, Object> stuck = fields("paths", List.of("/mnt/slow"), "verdict", "stalled",
                "probe_dir", "/mnt/slow", "mount_point", "/mnt/slow", "fs_type", "xfs", "source", "/dev/loop3",
                "active", fields("mode", "dsync", "seconds", 8.0, "writes", latency, "reads", latency,
                        "pending", fields("operation", "write", "waited_ms", 8000.0),
                        "error", "the IO child did not finish"));
        reporter.emit(new Event.Summary("probe", fields("verdict", "stalled", "exit_code", 11, "duration_ms", 10012L,
                "targets", List.of(disk, stuck),
                "pressure", fields("seconds", 10.0, "some_percent", 62.5, "full_percent", 40.1),
                "findings", List.of(fields("level", "stalled", "subject", "host", "signal", "blocked_threads",
                        "message", "2 threads in D state for 8 s", "remedy", "check the disk"),
                        fields("level", "healthy", "subject", "host", "signal", "pressure",
                                "message", "io pressure noted"))), List.of("verdict: stalled")));
    }

    /** A row of a space plan; a filesystem without an inode count has {@code free_inodes} null. */
    private static Map<String, Object> need(String what, String path, boolean staging) {
        Map<String, Object> row = fields("what", what, "count", 2, "bytes", 4096L, "inodes", 0L, "staging", staging,
                "path", path, "mount_point", "/", "device", "259:1", "free_bytes", 1_000_000_000L);
        row.put("free_inodes", staging ? null : 5_000_000L);
        row.putAll(fields("verdict", "fits", "fits", true));
        return row;
    }

    private static Map<String, Object> total(String mountPoint) {
        Map<String, Object> row = fields("needed_bytes", 8192L, "margin_bytes", 1_073_741_824L, "needed_inodes", 40L,
                "margin_inodes", 10_000L, "mount_point", mountPoint, "device", "259:1", "free_bytes", 1_000_000_000L);
        row.put("free_inodes", mountPoint.equals("/var/lib/docker") ? null : 5_000_000L);
        row.putAll(fields("verdict", "NO SPACE", "fits", false));
        return row;
    }

    private static Event.UnitDone unit(String key, String label, String action, long bytes, Object... keysAndValues) {
        return new Event.UnitDone(key, label, action, bytes, fields(keysAndValues));
    }

    /** A map in the order written, so that the golden lines come out the same every time. */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return fields;
    }
}
