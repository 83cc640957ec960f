package dev.lanes.autoencoder.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesTest {
    @TempDir
    Path dir;

    @Test
    void appendsOneObjectPerLineVisibleAtOnce() throws IOException {
        Path p = dir.resolve("metrics.jsonl");
        try (JsonLines log = JsonLines.open(p, false)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", 1);
            r.put("loss", 0.25);
            r.put("note", "line\nbreak");
            log.append(r);
            // Visible before close: flushed per line.
            assertEquals(1, JsonLines.read(p).size());
            log.append(Map.of("epoch", 2, "loss", Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> log.append(List.of(1, 2)));
        }
        try (JsonLines log = JsonLines.open(p, true)) {
            log.append(Map.of("epoch", 3));
        }
        List<JsonNode> lines = JsonLines.read(p);
        assertEquals(3, lines.size());
        assertEquals(3, Files.readAllLines(p).size());
        assertEquals("line\nbreak", lines.get(0).get("note").textValue());
        assertEquals("NaN", lines.get(1).get("loss").asText());
        assertEquals(3, lines.get(2).get("epoch").intValue());

        Files.writeString(p, "{\"epoch\": 4, \"lo", StandardOpenOption.APPEND);
        assertEquals(3, JsonLines.read(p).size(), "an interrupted last line is skipped");
        try (JsonLines log = JsonLines.open(p, false)) {
            log.append(Map.of("epoch", 1));
        }
        assertEquals(1, JsonLines.read(p).size(), "append=false starts afresh");
    }

    @Test
    void badLinesAndJsonFiles() throws IOException {
        Path p = dir.resolve("bad.jsonl");
        Files.writeString(p, "{\"a\":1}\n[1]\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> JsonLines.read(p));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(p, "{\"a\":1}\n{\"a\":1,\"a\":2}\n");
        assertThrows(FileFormatException.class, () -> JsonLines.read(p));
        assertThrows(FileFormatException.class, () -> JsonLines.read(dir.resolve("none")));

        Path s = dir.resolve("summary.json");
        Json.write(s, Map.of("fvu", 0.125, "dead", 3));
        assertEquals(0.125, Json.read(s).get("fvu").doubleValue());
        assertTrue(Files.readString(s).contains("\n"), "pretty-printed");
        Files.writeString(s, "{\"fvu\": NaN}");
        assertThrows(FileFormatException.class, () -> Json.read(s));
        Files.writeString(s, "{\"fvu\": 1} trailing");
        assertThrows(FileFormatException.class, () -> Json.read(s));
    }
}
