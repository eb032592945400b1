package dev.stowage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stowage.model.Precheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker.service, its drop-ins and environment files, read into the flags of dockerd's next start. */
class DaemonLaunchTest {
    @TempDir
    Path dir;

    @Test
    void theLastExecStartAfterAResetWinsAcrossDropInsInNameOrder() {
        HostRoot host = new HostRoot(dir)
                .write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT)
                .write("/etc/systemd/system/docker.service.d/20-storage.conf",
                        "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --storage-driver overlay2\n")
                .write("/etc/systemd/system/docker.service.d/10-debug.conf",
                        "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --debug\n")
                .write("/etc/systemd/system/docker.service.d/notes.txt", "[Service]\nExecStart=/bin/false\n");

        assertEquals(List.of("-H fd://", "--storage-driver overlay2"), flags(host));
        assertTrue(flagsOf(host).get(1).origin().endsWith("/etc/systemd/system/docker.service.d/20-storage.conf"),
                flagsOf(host).get(1).origin());
    }

    @Test
    void aDropInInEtcHidesTheSameNameInLibAndAnEtcUnitReplacesTheLibOne() {
        HostRoot host = new HostRoot(dir)
                .write("/lib/systemd/system/docker.service", "[Service]\nExecStart=/usr/bin/dockerd -g /lib-unit\n")
                .write("/usr/lib/systemd/system/docker.service.d/x.conf", "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -g /lib-dropin\n")
                .write("/etc/systemd/system/docker.service.d/x.conf", "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -g /etc-dropin\n");
        assertEquals(List.of("-g /etc-dropin"), flags(host));

        host.write("/etc/systemd/system/docker.service", "[Service]\nExecStart=/usr/bin/dockerd --data-root /etc-unit\n")
                .write("/etc/systemd/system/docker.service.d/x.conf", "[Unit]\nDescription=no service section\n");
        assertEquals(List.of("--data-root /etc-unit"), flags(host));
    }

    @Test
    void variablesAreExpandedFromEnvironmentFilesAsSystemdDoes() {
        HostRoot host = new HostRoot(dir)
                .write("/usr/lib/systemd/system/docker.service", HostRoot.RHEL_UNIT)
                .write("/etc/sysconfig/docker", "OPTIONS='--selinux-enabled --log-driver=journald'\n")
                .write("/etc/sysconfig/docker-storage", "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2\"\n");
        List<DaemonFlag> flags = flagsOf(host);

        assertEquals(List.of("--add-runtime docker-runc=/usr/libexec/docker/docker-runc-current",
                "--default-runtime docker-runc", "--exec-opt native.cgroupdriver=systemd",
                "--userland-proxy-path /usr/libexec/docker/docker-proxy-current", "--selinux-enabled",
                "--log-driver journald", "--storage-driver overlay2"), flags.stream().map(DaemonFlag::display).toList());
        DaemonFlag driver = flags.get(6);
        assertEquals(host.path("/etc/sysconfig/docker-storage"), driver.envFile());
        assertEquals("DOCKER_STORAGE_OPTIONS", driver.variable());
        assertTrue(DaemonLaunch.discover(host.layout()).uses(host.path("/etc/sysconfig/docker-storage"),
                "DOCKER_STORAGE_OPTIONS"));
    }

    @Test
    void plannedContentOfAnEnvironmentFileReplacesTheFileOnDisk() {
        HostRoot host = new HostRoot(dir)
                .write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT)
                .write("/etc/default/docker", "DOCKER_OPTS=\"-s devicemapper\"\n");
        DaemonLaunch launch = DaemonLaunch.discover(host.layout());

        assertEquals("-s devicemapper", launch.flags().get(2).display());
        List<DaemonFlag> planned = launch.flags(Map.of(host.path("/etc/default/docker"), EnvFile.parse("DOCKER_OPTS=\n")));
        assertEquals(List.of("-H fd://", "--containerd /run/containerd/containerd.sock"),
                planned.stream().map(DaemonFlag::display).toList());
    }

    @Test
    void bracedVariablesQuotesAndPrefixesAreHandled() {
        HostRoot host = new HostRoot(dir)
                .write("/etc/systemd/system/docker.service", "[Service]\n"
                        + "Environment=\"ROOT=/srv/my docker\" DRIVER=btrfs\n"
                        + "ExecStart=-@/usr/bin/dockerd dockerd \"--data-root=${ROOT}\" --storage-driver ${DRIVER} $UNSET\n");

        assertEquals(List.of("--data-root /srv/my docker", "--storage-driver btrfs"), flags(host));
    }

    @Test
    void withoutAUnitTheInitScriptVariablesCount() {
        HostRoot host = new HostRoot(dir)
                .write("/etc/default/docker", "DOCKER_OPTS=\"--dns 8.8.8.8 -g /data/docker\"\n")
                .write("/etc/sysconfig/docker-storage", "DOCKER_STORAGE_OPTIONS=\"-s overlay2\"\n");
        DaemonLaunch launch = DaemonLaunch.discover(host.layout());

        assertFalse(launch.systemd());
        assertEquals(List.of("--dns 8.8.8.8", "-g /data/docker", "-s overlay2"), flags(host));
        assertTrue(launch.uses(host.path("/etc/sysconfig/docker-storage"), "DOCKER_STORAGE_OPTIONS"));
    }

    @Test
    void aDropInThatForgotTheResetIsReported() {
        HostRoot host = new HostRoot(dir)
                .write("/lib/systemd/system/docker.service", HostRoot.DEBIAN_UNIT)
                .write("/etc/systemd/system/docker.service.d/override.conf",
                        "[Service]\nExecStart=/usr/sbin/dockerd --storage-driver vfs\n");
        List<Precheck> findings = DaemonLaunch.discover(host.layout()).findings();

        assertTrue(findings.stream().anyMatch(f -> f.level() == Precheck.Level.WARNING
                && f.message().contains("2 ExecStart= lines")), findings.toString());
        assertEquals(List.of("--storage-driver vfs"), flags(host), "the last line is what would run");
    }

    @Test
    void continuationLinesAndCommentsInsideThemAreJoinedAsSystemdJoinsThem() {
        List<String[]> directives = ServiceUnit.parse(List.of("[Service]", "ExecStart=/usr/bin/dockerd \\",
                "# a comment inside", "  --debug \\", "  -s vfs", "[Install]", "ExecStart=/not/a/service/key"));

        assertEquals(1, directives.size());
        assertEquals("/usr/bin/dockerd  --debug  -s vfs", directives.get(0)[1]);
    }

    private List<String> flags(HostRoot host) {
        return flagsOf(host).stream().map(DaemonFlag::display).toList();
    }

    private static List<DaemonFlag> flagsOf(HostRoot host) {
        return DaemonLaunch.discover(host.layout()).flags();
    }
}
