package dev.stowage.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stowage.model.Json;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which bridge an old network leaves behind for a migration to remove, and which ones are never touched. */
class LeftoverBridgeTest {
    private static final String ID = "e55975bdd13a2574d795f67e86970db81bf3da2dfa8c8f2015ed2cac2222e305";

    @Test
    void aBridgeNetworkLeavesBrAndTwelveHexDigitsOfItsId() throws IOException {
        assertEquals(Optional.of("br-e55975bdd13a"), LeftoverBridge.of(ID, "bridge", create("{}")));
    }

    @Test
    void aNetworkThatNamesItsBridgeKeepsIt() throws IOException {
        JsonNode named = create("{\"com.docker.network.bridge.name\":\"appbr0\"}");
        assertEquals(Optional.empty(), LeftoverBridge.of(ID, "bridge", named), "the recreated network reuses it");
    }

    @Test
    void otherDriversAndMissingIdsHaveNone() throws IOException {
        assertEquals(Optional.empty(), LeftoverBridge.of(ID, "macvlan", create("{}")));
        assertEquals(Optional.empty(), LeftoverBridge.of(null, "bridge", create("{}")));
    }

    @Test
    void onlyDockersOwnNamesOnThisMachineAreEverRemoved() {
        DockerHost local = DockerHost.parse("unix:///var/run/docker.sock");
        assertFalse(LeftoverBridge.removeIfIdle(local, "lo"), "not a br-<id> name");
        assertFalse(LeftoverBridge.removeIfIdle(local, "br-000000000000"), "no such device");
        assertFalse(LeftoverBridge.removeIfIdle(DockerHost.parse("tcp://10.0.0.1:2375"), "br-e55975bdd13a"),
                "a remote daemon's bridges are not here");
    }

    private static JsonNode create(String options) throws IOException {
        return Json.mapper().readTree("{\"Name\":\"appnet\",\"Options\":" + options + "}");
    }
}
