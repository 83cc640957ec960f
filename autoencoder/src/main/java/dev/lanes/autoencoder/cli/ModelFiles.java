package dev.lanes.autoencoder.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.io.Safetensors;
import dev.lanes.autoencoder.io.Tensor;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Stacked;
import dev.lanes.autoencoder.model.StackedConfig;
import dev.lanes.autoencoder.nn.Dense;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads a one-hidden-layer {@link Autoencoder} as safetensors, with the tensors named as PyTorch's
 * {@code nn.Linear} names them ({@code encoder.weight} [hidden, in], {@code encoder.bias} [hidden],
 * {@code decoder.weight} [in, hidden], {@code decoder.bias} [in]) and the full {@link Config} as a JSON
 * string under the metadata key {@value #CONFIG_KEY}. A tied decoder is written as the encoder's transpose
 * (so PyTorch can load the file) and not read back. Loading copies the stored floats into a model built
 * from the stored config, so its outputs are bitwise those of the saved model.
 *
 * <p>A {@link Stacked} model ({@code model = "stacked"} in the metadata) is written with
 * {@link #save(Path, Stacked, Map)} and read with {@link #loadStacked}: every tensor of its
 * parameters under its own name ({@code layers.N.encoder.weight} [out, in], {@code layers.N.encoder.bias},
 * {@code layers.N.decoder.weight} [in, out], {@code layers.N.decoder.bias}, {@code head.weight},
 * {@code head.bias}) and its {@link StackedConfig} under {@value #CONFIG_KEY}.
 */
public final class ModelFiles {
    /** Metadata key of the model configuration (a JSON object, as a string). */
    public static final String CONFIG_KEY = "lanes.config";
    /** Metadata key of the format tag. */
    public static final String FORMAT_KEY = "format";
    /** The format tag. */
    public static final String FORMAT = "lanes-autoencoder/1";

    private ModelFiles() {
    }

    /**
     * Writes the model atomically.
     *
     * @param file the .safetensors file to create or replace
     * @param model the model, read
     * @param extra more metadata entries (e.g. training settings), may be empty
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Autoencoder model, Map<String, String> extra) throws IOException {
        Config cfg = model.config();
        int n = cfg.inputs();
        int h = cfg.hidden();
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("encoder.weight", Tensor.of(copy(model.encoder().weight()), h, n));
        tensors.put("encoder.bias", Tensor.of(copy(model.encoder().bias()), h));
        float[] dec = copy(model.decoder().weight());
        if (model.decoder().isTied()) {
            dec = transpose(dec, h, n);
        }
        tensors.put("decoder.weight", Tensor.of(dec, n, h));
        tensors.put("decoder.bias", Tensor.of(copy(model.decoder().bias()), n));
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put("model", cfg.model());
        meta.put(CONFIG_KEY, Json.compact(cfg));
        meta.putAll(extra);
        Safetensors.write(file, tensors, meta);
    }

    /**
     * Writes any other {@link Model} atomically: each of its parameter tensors under its own name and shape
     * (e.g. the rank-ordered model's {@code encoder.weight}, {@code encoder.bias}, {@code decoder.bias}),
     * with the format tag, the model name and {@code extra} in the metadata. {@link #load} reads only
     * {@link Autoencoder} files.
     *
     * @throws IOException if the file cannot be written
     */
    public static void saveParams(Path file, Model model, Map<String, String> extra) throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (dev.lanes.autoencoder.nn.Tensor t : model.params().tensors()) {
            tensors.put(t.name(), Tensor.of(copy(t), t.shape()));
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put("model", model.name());
        meta.putAll(extra);
        Safetensors.write(file, tensors, meta);
    }

    /**
     * @param file a file written by {@link #save}
     * @return the model, in the state it was saved in (for inference)
     * @throws FileFormatException if the file is missing, malformed, has no or a bad config, or a tensor is
     *     missing or has the wrong shape
     * @throws IOException on other I/O errors
     */
    public static Autoencoder load(Path file) throws IOException {
        Safetensors.Contents c = read(file);
        if (STACKED.equals(c.metadata().get("model"))) {
            throw new FileFormatException(file, "holds a stacked model (several hidden layers); this command takes a "
                    + "one-hidden-layer autoencoder");
        }
        Autoencoder model = new Autoencoder(config(c));
        Config cfg = model.config();
        int n = cfg.inputs();
        int h = cfg.hidden();
        put(c.tensor("encoder.weight", h, n), model.encoder().weight());
        put(c.tensor("encoder.bias", h), model.encoder().bias());
        Tensor dec = c.tensor("decoder.weight", n, h);
        if (!model.decoder().isTied()) {
            put(dec, model.decoder().weight());
        }
        put(c.tensor("decoder.bias", n), model.decoder().bias());
        return model;
    }

    private static Safetensors.Contents read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new FileFormatException(file, "no such file (expected a model.safetensors written by 'lanes train')");
        }
        return Safetensors.read(file);
    }

    /** The {@code model} metadata value of a stacked model. */
    public static final String STACKED = "stacked";

    /**
     * Writes a stacked model atomically: each parameter tensor under its name and shape, the config as JSON.
     *
     * @param file the .safetensors file to create or replace
     * @param model the model, read
     * @param extra more metadata entries, may be empty
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, Stacked model, Map<String, String> extra) throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (dev.lanes.autoencoder.nn.Tensor t : model.params().tensors()) {
            tensors.put(t.name(), Tensor.of(copy(t), t.shape()));
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put("model", STACKED);
        meta.put(CONFIG_KEY, Json.compact(model.config()));
        meta.putAll(extra);
        Safetensors.write(file, tensors, meta);
    }

    /**
     * @param file a file written by {@link #save(Path, Stacked, Map)}
     * @return the model, in the state it was saved in
     * @throws FileFormatException if the file is missing, malformed, not a stacked model, has a bad config, or a
     *     tensor is missing or has the wrong shape
     * @throws IOException on other I/O errors
     */
    public static Stacked loadStacked(Path file) throws IOException {
        Safetensors.Contents c = read(file);
        if (!STACKED.equals(c.metadata().get("model"))) {
            throw new FileFormatException(file, "is not a stacked model (metadata model=" + c.metadata().get("model") + ")");
        }
        Stacked model = new Stacked(parseConfig(c, StackedConfig.class));
        for (dev.lanes.autoencoder.nn.Tensor t : model.params().tensors()) {
            put(c.tensor(t.name(), t.shape()), t);
        }
        return model;
    }

    /**
     * @param c a safetensors file's contents
     * @return the model configuration stored in its metadata
     * @throws FileFormatException if it is absent or invalid
     */
    public static Config config(Safetensors.Contents c) throws FileFormatException {
        return parseConfig(c, Config.class);
    }

    private static <T> T parseConfig(Safetensors.Contents c, Class<T> type) throws FileFormatException {
        String json = c.metadata().get(CONFIG_KEY);
        if (json == null) {
            throw new FileFormatException(c.file(), "no '" + CONFIG_KEY + "' entry in the metadata (expected a model "
                    + "written by 'lanes train'; metadata keys: " + c.metadata().keySet() + ")");
        }
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            throw new FileFormatException(c.file(), "invalid model config in the metadata: " + why);
        }
    }

    private static float[] copy(dev.lanes.autoencoder.nn.Tensor t) {
        return Arrays.copyOfRange(t.data(), t.offset(), t.offset() + t.size());
    }

    private static void put(Tensor from, dev.lanes.autoencoder.nn.Tensor to) {
        System.arraycopy(from.data(), 0, to.data(), to.offset(), to.size());
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** @return the decoder of a model as a [in, hidden] matrix (the transpose of the encoder when tied) */
    static float[] decoderWeight(Autoencoder model) {
        Dense dec = model.decoder();
        float[] w = copy(dec.weight());
        return dec.isTied() ? transpose(w, model.config().hidden(), model.config().inputs()) : w;
    }
}
