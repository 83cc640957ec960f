package dev.lanes.autoencoder.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.io.Json;
import dev.lanes.autoencoder.io.Safetensors;
import dev.lanes.autoencoder.io.Tensor;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.autoencoder.model.RankOrdered;
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
 *
 * <p>A {@link RankOrdered} model ({@code model = "rank-ordered"}) is written with
 * {@link #save(Path, RankOrdered, RankOrderedConfig, Map)} ({@code encoder.weight} [hidden, in],
 * {@code encoder.bias}, {@code decoder.bias}; the decoder is tied) and read with {@link #loadRankOrdered}.
 * {@link #loadAny} reads any of the three kinds, choosing by the metadata's {@code model}.
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
        return load(read(file));
    }

    private static Autoencoder load(Safetensors.Contents c) throws IOException {
        Path file = c.file();
        String kind = c.metadata().get("model");
        if (STACKED.equals(kind) || RANK_ORDERED.equals(kind)) {
            throw new FileFormatException(file, "holds a " + kind + " model; this command takes a one-hidden-layer "
                    + "autoencoder (" + Models.NAMES + ")");
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

    /**
     * The configuration of a {@link RankOrdered} model, stored under {@value #CONFIG_KEY}.
     *
     * @param model always {@code rank-ordered}
     * @param inputs input width
     * @param hidden hidden units
     * @param ranks ranks in the loss, in [1, hidden]
     * @param surrogate the threshold of Bertens' custom TReLU derivative, or null for the true one
     * @param seed initialisation seed
     */
    public record RankOrderedConfig(String model, int inputs, int hidden, int ranks, Float surrogate, long seed) {
        public RankOrderedConfig {
            if (!RANK_ORDERED.equals(model)) {
                throw new IllegalArgumentException("model=" + model + ", expected " + RANK_ORDERED);
            }
            if (inputs < 1 || hidden < 1 || ranks < 1 || ranks > hidden) {
                throw new IllegalArgumentException("inputs=" + inputs + ", hidden=" + hidden + ", ranks=" + ranks
                        + ": expected inputs, hidden >= 1 and ranks in [1, hidden]");
            }
            if (surrogate != null && !(surrogate >= 0f && Float.isFinite(surrogate))) {
                throw new IllegalArgumentException("surrogate=" + surrogate + ": expected a finite value >= 0");
            }
        }

        /** @return a fresh model of this configuration */
        public RankOrdered build() {
            RankOrdered r = Models.rankOrdered(inputs, hidden, ranks, seed);
            return surrogate != null ? r.surrogateGradient(true, surrogate) : r;
        }
    }

    /** The {@code model} metadata value of a rank-ordered model. */
    public static final String RANK_ORDERED = "rank-ordered";

    /**
     * Writes a rank-ordered model atomically: its parameter tensors and {@code cfg} as JSON.
     *
     * @param file the .safetensors file to create or replace
     * @param model the model, read
     * @param cfg the configuration it was built from
     * @param extra more metadata entries, may be empty
     * @throws IOException if the file cannot be written
     */
    public static void save(Path file, RankOrdered model, RankOrderedConfig cfg, Map<String, String> extra)
            throws IOException {
        if (cfg.inputs() != model.inputs() || cfg.hidden() != model.codes()) {
            throw new IllegalArgumentException("rank-ordered save: config " + cfg + " does not describe a model of "
                    + model.inputs() + " inputs and " + model.codes() + " hidden units");
        }
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(CONFIG_KEY, Json.compact(cfg));
        meta.putAll(extra);
        saveParams(file, model, meta);
    }

    /**
     * @param file a file written by {@link #save(Path, RankOrdered, RankOrderedConfig, Map)}
     * @return the model, in the state it was saved in
     * @throws FileFormatException if the file is missing, malformed, not a rank-ordered model, has no or a bad
     *     config, or a tensor is missing or has the wrong shape
     * @throws IOException on other I/O errors
     */
    public static RankOrdered loadRankOrdered(Path file) throws IOException {
        Safetensors.Contents c = read(file);
        if (!RANK_ORDERED.equals(c.metadata().get("model"))) {
            throw new FileFormatException(file, "is not a rank-ordered model (metadata model=" + c.metadata().get("model") + ")");
        }
        return fill(c, parseConfig(c, RankOrderedConfig.class).build());
    }

    /**
     * Reads any model the CLI writes: an {@link Autoencoder}, a {@link RankOrdered} or a {@link Stacked},
     * by the metadata's {@code model} entry.
     *
     * @throws FileFormatException as the loader of that kind
     * @throws IOException on other I/O errors
     */
    public static Model loadAny(Path file) throws IOException {
        Safetensors.Contents c = read(file);
        String kind = c.metadata().get("model");
        if (STACKED.equals(kind)) {
            return fill(c, new Stacked(parseConfig(c, StackedConfig.class)));
        }
        if (RANK_ORDERED.equals(kind)) {
            return fill(c, parseConfig(c, RankOrderedConfig.class).build());
        }
        return load(c);
    }

    /** Copies every parameter tensor of {@code model} from the file, checking names and shapes. */
    private static <M extends Model> M fill(Safetensors.Contents c, M model) throws FileFormatException {
        for (dev.lanes.autoencoder.nn.Tensor t : model.params().tensors()) {
            put(c.tensor(t.name(), t.shape()), t);
        }
        return model;
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
        return fill(c, new Stacked(parseConfig(c, StackedConfig.class)));
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
