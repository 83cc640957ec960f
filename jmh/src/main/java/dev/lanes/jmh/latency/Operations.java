package dev.lanes.jmh.latency;

import dev.lanes.autoencoder.model.Model;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.jmh.training.Presets;
import dev.lanes.jmh.training.Reference;
import java.util.Locale;

/**
 * The operations the latency harness times: a preset model's real single-sample encode and its real
 * training step ({@link Presets}: the models, shapes and optimizer of the training benchmarks), on
 * synthetic Fashion-MNIST-shaped data. Each is checked once against the plain double-precision
 * reference ({@link Reference}) when it is built, before anything is timed.
 */
final class Operations {

    private Operations() {
    }

    /** Allocates the data of an operation once; {@link #run()} must not allocate once warm. */
    interface Op {
        String name();

        /** What one call does, for the summary. */
        String description();

        void run();
    }

    static Op byName(String name, String model, int batch) {
        return switch (name) {
            case "encode" -> encode(model);
            case "train" -> trainingStep(model, batch);
            default -> throw new IllegalArgumentException("latency: unknown operation '" + name
                    + "' (expected encode or train)");
        };
    }

    /** {@link Model#encode} of one sample, cycling through 1024 samples. */
    static Op encode(String model) {
        Model m = Presets.build(model);
        float[][] samples = Presets.prepare(m, 1, 0x5EED);
        float[] codes = new float[m.codes()];
        Reference.checkEncode(m, 1, samples[0], codes);
        String what = String.format(Locale.ROOT, "Model.encode of 1 sample, %s %d-%d", model, Presets.INPUTS,
                Presets.hidden(model));
        return new Op() {
            private int next;

            @Override
            public String name() {
                return "encode-" + model;
            }

            @Override
            public String description() {
                return what;
            }

            @Override
            public void run() {
                m.encode(1, samples[next], codes);
                next = next + 1 == samples.length ? 0 : next + 1;
            }
        };
    }

    /** {@link Trainer#trainStep} at {@code batch} (forward, backward, Adam), cycling through 1024 rows. */
    static Op trainingStep(String model, int batch) {
        Model m = Presets.build(model);
        float[][] batches = Presets.prepare(m, batch, 0x7EA1);
        Trainer trainer = Presets.trainer(m, batch);
        Reference.checkStep(m, trainer, batch, batches[0]);
        String what = String.format(Locale.ROOT, "Trainer.trainStep (forward, backward, Adam) of %s %d-%d-%d at batch %d",
                model, Presets.INPUTS, Presets.hidden(model), Presets.INPUTS, batch);
        return new Op() {
            private int next = 1 % batches.length;

            @Override
            public String name() {
                return "train-" + model + "-b" + batch;
            }

            @Override
            public String description() {
                return what;
            }

            @Override
            public void run() {
                trainer.trainStep(batch, batches[next]);
                next = next + 1 == batches.length ? 0 : next + 1;
            }
        };
    }
}
