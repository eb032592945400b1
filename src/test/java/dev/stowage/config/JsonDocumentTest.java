package dev.stowage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stowage.model.ExitCode;
import dev.stowage.model.StowageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDocumentTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A daemon.json as people write them: odd spacing, a number spelled 1.0, escapes, nested objects. */
    private static final String HOST = "{\n"
            + "    \"log-driver\": \"json-file\",\n"
            + "    \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"},\n"
            + "    \"storage-driver\" :  \"devicemapper\",\n"
            + "    \"mtu\": 1.0,\n"
            + "    \"labels\": [\"site=\\u0041\", \"rack=2\"],\n"
            + "    \"live-restore\": true\n"
            + "}\n";

    @Test
    void replacingAValueChangesOnlyThatValue() {
        JsonDocument doc = JsonDocument.parse(HOST, "daemon.json").with("storage-driver", NODES.textNode("overlay2"));

        assertEquals(HOST.replace("\"devicemapper\"", "\"overlay2\""), doc.text());
        assertEquals(List.of("log-driver", "log-opts", "storage-driver", "mtu", "labels", "live-restore"), doc.keys());
    }

    @Test
    void anAddedKeyGoesLastInTheFilesOwnIndentAndSeparator() {
        JsonDocument doc = JsonDocument.parse(HOST, "daemon.json").with("data-root", NODES.textNode("/srv/docker"));

        assertEquals(HOST.replace("\"live-restore\": true\n", "\"live-restore\": true,\n    \"data-root\": \"/srv/docker\"\n"),
                doc.text());
        assertTrue(doc.text().contains("    \"data-root\""), doc.text());
        assertTrue(doc.text().startsWith(HOST.substring(0, HOST.indexOf("\"live-restore\""))), "every earlier byte kept");
    }

    @Test
    void aListOfOptionsIsWrittenOneItemPerLineInAnIndentedFile() {
        JsonDocument doc = JsonDocument.parse("{\n  \"debug\": true\n}\n", "d")
                .with("storage-opts", array("overlay2.size=20G", "overlay2.override_kernel_check=true"));

        assertEquals("{\n  \"debug\": true,\n  \"storage-opts\": [\n    \"overlay2.size=20G\",\n"
                + "    \"overlay2.override_kernel_check=true\"\n  ]\n}\n", doc.text());
    }

    @Test
    void aOneLineFileStaysOnOneLine() {
        JsonDocument doc = JsonDocument.parse("{\"debug\":true,\"mtu\":1500}", "d")
                .with("storage-opts", array("a=1", "b=2")).with("storage-driver", NODES.textNode("vfs"));

        assertEquals("{\"debug\":true,\"mtu\":1500,\"storage-opts\":[\"a=1\", \"b=2\"],\"storage-driver\":\"vfs\"}",
                doc.text());
    }

    @Test
    void anEmptyObjectGetsItsFirstMemberOnItsOwnLine() {
        assertEquals("{\n  \"storage-driver\": \"overlay2\"\n}\n",
                JsonDocument.parse("{}\n", "d").with("storage-driver", NODES.textNode("overlay2")).text());
        assertEquals("{\n  \"storage-driver\": \"overlay2\"\n}\n",
                JsonDocument.empty("d").with("storage-driver", NODES.textNode("overlay2")).text());
    }

    @Test
    void removingAKeyTakesItsCommaAndLineWithIt() {
        JsonDocument doc = JsonDocument.parse(HOST, "d");

        assertEquals(HOST.replace("    \"storage-driver\" :  \"devicemapper\",\n", ""), doc.without("storage-driver").text());
        assertEquals(HOST.replace("    \"log-driver\": \"json-file\",\n", ""), doc.without("log-driver").text());
        assertEquals(HOST.replace(",\n    \"live-restore\": true", ""), doc.without("live-restore").text());
        assertEquals("{}\n", JsonDocument.parse("{\n  \"graph\": \"/x\"\n}\n", "d").without("graph").text());
        assertSame(doc, doc.without("no-such-key"));
    }

    @Test
    void settingTheValueAlreadyThereIsNoChange() {
        JsonDocument doc = JsonDocument.parse(HOST, "d");

        assertSame(doc, doc.with("storage-driver", NODES.textNode("devicemapper")));
        assertSame(doc, doc.with("labels", array("site=A", "rack=2")), "equal values, differently escaped");
    }

    @Test
    void valuesOfEveryKindAreSpannedExactly() {
        String[][] members = {{"a", "-12.5e3"}, {"b", "null"}, {"c", "false"}, {"d", "\"x\\\"y\""},
            {"e", "{\"f\":[1,{}]}"}, {"g", "[]"}, {"h", "7"}};
        StringBuilder text = new StringBuilder("{");
        for (String[] m : members) {
            text.append(text.length() > 1 ? "," : "").append('"').append(m[0]).append("\":").append(m[1]);
        }
        String original = text.append('}').toString();
        JsonDocument doc = JsonDocument.parse(original, "d");
        for (String[] m : members) {
            assertEquals(original.replace("\"" + m[0] + "\":" + m[1], "\"" + m[0] + "\":\"Z\""),
                    doc.with(m[0], NODES.textNode("Z")).text(), "value of " + m[0]);
        }
    }

    @Test
    void invalidJsonIsRefusedWithItsLineAndColumn() {
        StowageException e = assertThrows(StowageException.class,
                () -> JsonDocument.parse("{\n  \"debug\": true,\n  \"mtu\": 1500,\n}\n", "/etc/docker/daemon.json"));

        assertEquals(ExitCode.PRECHECK, e.exitCode());
        assertTrue(e.getMessage().startsWith("/etc/docker/daemon.json is not valid JSON at line 4, column 1"), e.getMessage());
        assertTrue(e.hint().contains("fix the file"), e.hint());
    }

    @Test
    void whatDockerdWouldAlsoRefuseIsRefused() {
        assertTrue(refusal("[1, 2]").contains("top level must be a JSON object"));
        assertTrue(refusal("{\"a\": 1} {\"b\": 2}").contains("after the closing }"));
        assertTrue(refusal("{\"a\": 1, // comment\n}").contains("line 1"));
        assertTrue(refusal("{\"storage-driver\": \"a\", \"storage-driver\": \"b\"}").contains("Duplicate field"));
    }

    @Test
    void anEmptyFileOrOneWithAByteOrderMarkIsRead() {
        assertEquals(List.of(), JsonDocument.parse("  \n", "d").keys());
        JsonDocument bom = JsonDocument.parse("\uFEFF{\"debug\": true}", "d").with("mtu", NODES.numberNode(1400));
        assertEquals("\uFEFF{\"debug\": true, \"mtu\": 1400}", bom.text(), "a one-line file spaced like its first member");
    }

    private static String refusal(String text) {
        return assertThrows(StowageException.class, () -> JsonDocument.parse(text, "d")).getMessage();
    }

    private static JsonNode array(String... items) {
        var array = NODES.arrayNode();
        for (String item : items) {
            array.add(item);
        }
        return array;
    }
}
