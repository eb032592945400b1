package dev.stowage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonFlagsTest {
    @Test
    void parsesLongShortGroupedAndBooleanFlagsLikePflag() {
        List<DaemonFlags.Parsed> flags = DaemonFlags.parse(List.of("-H", "fd://", "--containerd=/run/c.sock", "--debug",
                "-soverlay2", "-Dg", "/srv/docker", "--storage-opt", "a=b", "--iptables=false", "-l=warn", "--live-restore"));

        assertEquals(List.of("host=fd://", "containerd=/run/c.sock", "debug=null", "storage-driver=overlay2",
                "debug=null", "graph=/srv/docker", "storage-opt=a=b", "iptables=false", "log-level=warn",
                "live-restore=null"), flags.stream().map(f -> f.name() + "=" + f.value()).toList());
        assertEquals(List.of(false, false, false, false, true, true, false, false, false, false),
                flags.stream().map(DaemonFlags.Parsed::grouped).toList());
        DaemonFlags.Parsed graph = flags.get(5);
        assertEquals(List.of("-g", 5, 2), List.of(graph.spelled(), graph.firstWord(), graph.wordCount()));
    }

    @Test
    void mapsFlagsToTheDaemonJsonKeysTheyCollideWith() {
        assertEquals("storage-opts", DaemonFlags.jsonKey("storage-opt"));
        assertEquals("hosts", DaemonFlags.jsonKey("host"));
        assertEquals("storage-driver", DaemonFlags.jsonKey("storage-driver"));
        assertEquals("data-root", DaemonFlags.jsonKey("data-root"));
        assertEquals("graph", DaemonFlags.jsonKey("graph"));
        assertEquals("insecure-registries", DaemonFlags.jsonKey("insecure-registry"));
        assertEquals("log-level", DaemonFlags.jsonKey("log-level"));
    }
}
