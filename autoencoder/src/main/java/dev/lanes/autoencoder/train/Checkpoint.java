package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.io.Safetensors;
import dev.lanes.autoencoder.io.Tensor;
import dev.lanes.autoencoder.nn.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a training run needs to continue exactly: the flat parameter buffer, both optimizer moment
 * buffers, the step and the optimizer's step count, the model's own training state
 * ({@link dev.lanes.autoencoder.model.Model#trainingState()}), the loss of every step so far and the
 * running sums of the current epoch. The batches and the noise of a step are functions of the seed and the
 * step, so they need no saved state.
 *
 * <p>Stored as safetensors (tensors {@code params}, {@code optimizer.m}, {@code optimizer.v}, {@code loss};
 * the scalars and the caller's entries, such as the run's settings, in the metadata), written through
 * {@link dev.lanes.autoencoder.io.AtomicFiles}: a new checkpoint replaces the old one only once it is
 * complete on disk, so a crash or kill at any moment leaves the last good checkpoint loadable.
 *
 * @param step the next step to run
 * @param optimizerSteps the optimizer's step count (Adam's bias correction)
 * @param params the parameter buffer, {@link Params#size()} floats
 * @param m the first-moment (or momentum) buffer
 * @param v the second-moment buffer
 * @param modelState the model's training state
 * @param losses the training loss of steps {@code [0, step)}
 * @param epochLossSum sum of loss x rows over the current epoch's steps so far
 * @param epochSamples rows trained in the current epoch so far
 * @param metadata the caller's metadata entries (those without the {@value #PREFIX} prefix)
 */
public record Checkpoint(long step, long optimizerSteps, float[] params, float[] m, float[] v, int[] modelState,
                         float[] losses, double epochLossSum, long epochSamples, Map<String, String> metadata) {

    /** The file name of a run's checkpoint in its output directory. */
    public static final String FILE = "checkpoint.safetensors";
    /** Format tag. */
    public static final String FORMAT = "lanes-checkpoint/1";
    /** Prefix of the metadata keys this class owns. */
    public static final String PREFIX = "checkpoint.";

    /**
     * Captures the state of {@code trainer} (copies).
     *
     * @param losses the loss of each step so far, at least {@code trainer.step()} values
     */
    public static Checkpoint of(TrainStep trainer, float[] losses, double epochLossSum, long epochSamples,
                                Map<String, String> metadata) {
        Params p = trainer.model().params();
        long step = trainer.step();
        if (losses.length < step) {
            throw new IllegalArgumentException("checkpoint: " + losses.length + " losses for " + step + " steps");
        }
        return new Checkpoint(step, trainer.optimizerSteps(), p.data().clone(), p.m().clone(), p.v().clone(),
                trainer.model().trainingState(), Arrays.copyOf(losses, (int) step), epochLossSum, epochSamples,
                Map.copyOf(metadata));
    }

    /**
     * Writes the checkpoint atomically.
     *
     * @param file the file to create or replace; the old file stays intact until the new one is complete
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("params", Tensor.of(params, params.length));
        tensors.put("optimizer.m", Tensor.of(m, m.length));
        tensors.put("optimizer.v", Tensor.of(v, v.length));
        tensors.put("loss", Tensor.of(losses, losses.length));
        LinkedHashMap<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", FORMAT);
        meta.put(PREFIX + "step", Long.toString(step));
        meta.put(PREFIX + "optimizer_steps", Long.toString(optimizerSteps));
        meta.put(PREFIX + "epoch_loss_sum", Double.toString(epochLossSum));
        meta.put(PREFIX + "epoch_samples", Long.toString(epochSamples));
        StringBuilder state = new StringBuilder();
        for (int i = 0; i < modelState.length; i++) {
            state.append(i == 0 ? "" : ",").append(modelState[i]);
        }
        meta.put(PREFIX + "model_state", state.toString());
        Safetensors.write(file, tensors, meta);
    }

    /**
     * @param file a file written by {@link #write}
     * @return its content
     * @throws FileFormatException if it is missing, malformed or not a checkpoint
     * @throws IOException on other I/O errors
     */
    public static Checkpoint read(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new FileFormatException(file, "not a training checkpoint (format '" + meta.get("format")
                    + "', expected '" + FORMAT + "')");
        }
        float[] params = c.tensor("params").data();
        float[] m = c.tensor("optimizer.m", params.length).data();
        float[] v = c.tensor("optimizer.v", params.length).data();
        long step = number(file, meta, "step");
        float[] losses = c.tensor("loss", (int) Math.min(step, Integer.MAX_VALUE)).data();
        long optimizerSteps = number(file, meta, "optimizer_steps");
        long epochSamples = number(file, meta, "epoch_samples");
        double epochLossSum;
        int[] state;
        try {
            epochLossSum = Double.parseDouble(entry(file, meta, "epoch_loss_sum"));
            String s = entry(file, meta, "model_state");
            state = s.isEmpty() ? new int[0] : Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new FileFormatException(file, "malformed checkpoint metadata: " + e.getMessage());
        }
        Map<String, String> rest = new LinkedHashMap<>();
        meta.forEach((k, val) -> {
            if (!k.startsWith(PREFIX) && !k.equals("format")) {
                rest.put(k, val);
            }
        });
        return new Checkpoint(step, optimizerSteps, params, m, v, state, losses, epochLossSum, epochSamples, rest);
    }

    /**
     * Puts this state into {@code trainer}: parameters, moments, the model's training state and the step counts.
     *
     * @throws IllegalArgumentException if the parameter layout differs (another model)
     */
    public void restoreInto(TrainStep trainer) {
        Params p = trainer.model().params();
        if (params.length != p.size()) {
            throw new IllegalArgumentException("checkpoint: " + params.length + " parameters, the model has "
                    + p.size());
        }
        System.arraycopy(params, 0, p.data(), 0, params.length);
        System.arraycopy(m, 0, p.m(), 0, m.length);
        System.arraycopy(v, 0, p.v(), 0, v.length);
        p.zeroGrad();
        trainer.model().restoreTrainingState(modelState);
        trainer.restore(step, optimizerSteps);
    }

    private static String entry(Path file, Map<String, String> meta, String key) throws FileFormatException {
        String s = meta.get(PREFIX + key);
        if (s == null) {
            throw new FileFormatException(file, "checkpoint metadata has no '" + PREFIX + key + "'");
        }
        return s;
    }

    private static long number(Path file, Map<String, String> meta, String key) throws FileFormatException {
        String s = entry(file, meta, key);
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new FileFormatException(file, "checkpoint metadata '" + PREFIX + key + "'=" + s
                    + " is not a count >= 0");
        }
    }
}
