package dev.stowage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvFileTest {
    /** RHEL 7's /etc/sysconfig/docker, trimmed. */
    private static final String SYSCONFIG_DOCKER = "# /etc/sysconfig/docker\n"
            + "\n"
            + "# Modify these options if you want to change the way the docker daemon runs\n"
            + "OPTIONS='--selinux-enabled --log-driver=journald --signature-verification=false'\n"
            + "if [ -z \"${DOCKER_CERT_PATH}\" ]; then\n"
            + "    DOCKER_CERT_PATH=/etc/docker\n"
            + "fi\n"
            + "; a comment in systemd's other style\n"
            + "# ADD_REGISTRY='--add-registry registry.access.redhat.com'\n";

    @Test
    void readsQuotedUnquotedAndCommentedLinesAsSystemdDoes() {
        EnvFile file = EnvFile.parse(SYSCONFIG_DOCKER);

        assertEquals(Optional.of("--selinux-enabled --log-driver=journald --signature-verification=false"),
                file.get("OPTIONS"));
        assertEquals(Optional.of("/etc/docker"), file.get("DOCKER_CERT_PATH"));
        assertEquals(Optional.empty(), file.get("ADD_REGISTRY"), "commented out");
    }

    @Test
    void doubleQuotesEscapesContinuationsAndTheLastAssignmentWin() {
        EnvFile file = EnvFile.parse("A=\"x \\\"y\\\" \\$HOME\"\nB=one \\\n  two   \nA=second\nexport C=\"c\"\nD='it''s'\n");

        assertEquals(Map.of("A", "second", "B", "one   two", "C", "c", "D", "its"), file.variables());
    }

    @Test
    void rewritingAVariableKeepsEveryOtherLine() {
        EnvFile file = EnvFile.parse(SYSCONFIG_DOCKER).with("OPTIONS", "--selinux-enabled");

        assertEquals(SYSCONFIG_DOCKER.replace(
                "OPTIONS='--selinux-enabled --log-driver=journald --signature-verification=false'",
                "OPTIONS=\"--selinux-enabled\""), file.text());
    }

    @Test
    void aNewVariableIsAppendedOnItsOwnLine() {
        assertEquals("# storage\nDOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2\"\n",
                EnvFile.parse("# storage").with("DOCKER_STORAGE_OPTIONS", "--storage-driver overlay2").text());
        assertEquals("X=\"a \\$b \\\"c\\\"\"\n", EnvFile.parse("").with("X", "a $b \"c\"").text());
        assertEquals(Optional.of("a $b \"c\""), EnvFile.parse(EnvFile.parse("").with("X", "a $b \"c\"").text()).get("X"));
    }

    @Test
    void aContinuedAssignmentIsReplacedWhole() {
        String text = "X=1\nDOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper \\\n --storage-opt dm.fs=xfs\"\nY=2\n";
        EnvFile file = EnvFile.parse(text);

        assertEquals(Optional.of("--storage-driver devicemapper  --storage-opt dm.fs=xfs"), file.get("DOCKER_STORAGE_OPTIONS"));
        assertEquals("X=1\nDOCKER_STORAGE_OPTIONS=\"-s vfs\"\nY=2\n", file.with("DOCKER_STORAGE_OPTIONS", "-s vfs").text());
        assertSame(file, file.with("X", "1"));
    }
}
