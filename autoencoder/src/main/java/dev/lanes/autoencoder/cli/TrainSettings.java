package dev.lanes.autoencoder.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.io.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything that decides what {@code lanes train} computes, resolved from the options (defaults filled in,
 * {@code --epochs} turned into steps). It goes into every checkpoint, so {@code --resume} rebuilds the same
 * model, data, split and optimizer, and into {@code summary.json}.
 *
 * @param model the model name
 * @param hidden the hidden widths (one for every single-layer model)
 * @param k TopK latents, or null for the model's default
 * @param l1 L1 weight, or null for the model's default
 * @param rho KL target, or null
 * @param beta KL weight, or null
 * @param noise the {@code --noise} value, or null
 * @param ranks rank-ordered: ranks in the loss, or null for all hidden units
 * @param surrogate rank-ordered: the threshold of Bertens' custom TReLU derivative, or null for the true one
 * @param data the {@code --data} value
 * @param samples rows of each split used, 0 for all
 * @param validation the {@code --validation} value, or null for none
 * @param steps the total number of steps
 * @param batch rows per step
 * @param lr the peak learning rate
 * @param optimizer adam, adamw or sgd
 * @param momentum SGD momentum
 * @param nesterov SGD Nesterov momentum
 * @param weightDecay weight decay (AdamW decoupled, else L2 in the gradient)
 * @param schedule {@code constant} or {@code cosine[:WARMUP]}
 * @param clip maximum gradient norm, 0 for none
 * @param seed initialisation, noise, shuffling and split seed
 * @param logEvery a metrics line every this many steps, 0 for only per epoch
 * @param checkpointEvery a checkpoint every this many steps, 0 for only at the end
 * @param pretrainEpochs stacked: epochs of denoising pretraining per layer (0: none), else null
 * @param fineTuneEpochs stacked: epochs of end-to-end fine-tuning, else null
 * @param sparse topk: trained on the sparse-aware path ({@code --sparse}); false in checkpoints older than it
 */
record TrainSettings(String model, List<Integer> hidden, Integer k, Float l1, Float rho, Float beta, String noise,
                     Integer ranks, Float surrogate, String data, int samples, String validation, long steps,
                     int batch, float lr, String optimizer, float momentum, boolean nesterov, float weightDecay,
                     String schedule, float clip, long seed, long logEvery, long checkpointEvery,
                     Integer pretrainEpochs, Integer fineTuneEpochs, boolean sparse) {

    /** The metadata key under which checkpoints store the settings. */
    static final String KEY = "lanes.train";

    TrainSettings {
        hidden = List.copyOf(hidden);
    }

    /** @return the same settings with another total and other log and checkpoint intervals (a resumed run) */
    TrainSettings withRun(long total, long log, long checkpoint) {
        return new TrainSettings(model, hidden, k, l1, rho, beta, noise, ranks, surrogate, data, samples, validation,
                total, batch, lr, optimizer, momentum, nesterov, weightDecay, schedule, clip, seed, log, checkpoint,
                pretrainEpochs, fineTuneEpochs, sparse);
    }

    String toJson() {
        return Json.compact(this);
    }

    /**
     * @param file the checkpoint the JSON came from (named in errors)
     * @param json what {@link #toJson} wrote, or null
     */
    static TrainSettings fromJson(Path file, String json) throws FileFormatException {
        if (json == null) {
            throw new FileFormatException(file, "no '" + KEY + "' entry in the metadata (expected a checkpoint "
                    + "written by 'lanes train')");
        }
        try {
            return Json.mapper().readValue(json, TrainSettings.class);
        } catch (JsonProcessingException e) {
            throw new FileFormatException(file, "invalid training settings in the metadata: " + e.getOriginalMessage());
        }
    }
}
