package dev.lanes.autoencoder.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The module's JSON settings in one place: a strict reader (duplicate keys and trailing tokens are
 * errors) and a writer for {@code summary.json}-style files. Non-finite doubles are written as the
 * strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers), so a diverged run still writes
 * valid JSON.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // Bounds that no header of ours comes near; they keep a hostile file from costing much.
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64).maxStringLength(1 << 24).maxNumberLength(64).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    /** @return the shared, configured mapper (thread-safe; do not reconfigure it) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @param value a map, list, record or JsonNode
     * @return compact JSON on one line
     */
    public static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("json: cannot serialise " + value.getClass().getName(), e);
        }
    }

    /**
     * Writes {@code value} as indented JSON, atomically.
     *
     * @param file the file to create or replace
     * @param value a map, list, record or JsonNode
     * @throws IOException if the file cannot be written; an old file is then unchanged
     */
    public static void write(Path file, Object value) throws IOException {
        byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        AtomicFiles.write(file, out -> {
            out.write(bytes);
            out.write('\n');
        });
    }

    /**
     * @param file a JSON file
     * @return its tree
     * @throws FileFormatException if the file is missing or not well-formed JSON
     * @throws IOException on other I/O errors
     */
    public static JsonNode read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileFormatException(file, "no such file (expected a JSON file)");
        }
        try {
            return MAPPER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new FileFormatException(file, "malformed JSON: " + e.getOriginalMessage(), e);
        }
    }
}
