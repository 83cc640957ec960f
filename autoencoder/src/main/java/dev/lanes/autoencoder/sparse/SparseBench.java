package dev.lanes.autoencoder.sparse;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.FashionMnist;
import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Config;
import dev.lanes.autoencoder.train.Adam;
import dev.lanes.autoencoder.train.LearningRate;
import dev.lanes.autoencoder.train.Trainer;
import dev.lanes.core.Lanes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput of the sparse TopK step, in the format of {@code torch_sae.py} so the two can run
 * side by side:
 * <pre>
 * SparseBench [--hidden 4096] [--k 32] [--batch 256] [--steps 100] [--threads 1] [--data DIR]
 *             [--model topk|batchtopk] [--dense] [--lazy-encoder] [--breakdown] [--seed 1]
 *             [--aux-k 0 --dead-steps 1000] [--pre-bias] [--unit-norm]
 * </pre>
 * Trains on consecutive batches of Fashion-MNIST (uniform noise without it) with Adam at lr 1e-3: 10
 * warm-up steps, then {@code --steps} timed ones; prints samples/s and the last step's loss, and the
 * rate by the main thread's CPU time (a steadier figure on a shared machine, meaningful at one thread).
 * {@code --dense} runs the dense {@link Autoencoder} and {@link Trainer} with the same model and seed;
 * {@code --aux-k} adds AuxK (scale 1/32) over the latents dead for {@code --dead-steps} steps;
 * {@code --unit-norm} keeps the decoder rows at unit norm;
 * {@code --pre-bias} subtracts the decoder bias (started at the data mean) before the encoder;
 * {@code --model batchtopk} trains {@link SparseTopK#batchTopK} (sparse only);
 * {@code --lazy-encoder} trains with {@link SparseTopK}'s SparseAdam-like approximation;
 * {@code --breakdown} adds the time per phase of the sparse step.
 */
public final class SparseBench {

    private SparseBench() {
    }

    public static void main(String[] args) throws Exception {
        int hidden = 4096;
        int k = 32;
        int batch = 256;
        int steps = 100;
        int threads = 1;
        long seed = 1;
        String model = "topk";
        Path data = FashionMnist.DEFAULT_DIR;
        boolean dense = false;
        boolean breakdown = false;
        boolean lazyEncoder = false;
        int auxK = 0;
        int deadSteps = 1000;
        boolean preBias = false;
        boolean unitNorm = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--hidden" -> hidden = Integer.parseInt(args[++i]);
                case "--k" -> k = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--model" -> model = args[++i];
                case "--dense" -> dense = true;
                case "--breakdown" -> breakdown = true;
                case "--lazy-encoder" -> lazyEncoder = true;
                case "--aux-k" -> auxK = Integer.parseInt(args[++i]);
                case "--dead-steps" -> deadSteps = Integer.parseInt(args[++i]);
                case "--pre-bias" -> preBias = true;
                case "--unit-norm" -> unitNorm = true;
                default -> throw new IllegalArgumentException("SparseBench: unknown option " + args[i]);
            }
        }
        if (!model.equals("topk") && !(model.equals("batchtopk") && !dense && !lazyEncoder)) {
            throw new IllegalArgumentException("SparseBench: --model " + model
                    + " not supported (topk, or batchtopk without --dense and --lazy-encoder)");
        }
        Lanes.setThreads(threads);
        int n = 784;
        float[] x;
        int rows;
        if (Files.exists(data.resolve("train-images-idx3-ubyte.gz"))) {
            Dataset train = FashionMnist.load(data).train();
            x = train.features();
            rows = train.n();
        } else {
            rows = 60000;
            x = new float[rows * n];
            SplittableRandom r = new SplittableRandom(0);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble();
            }
        }
        Config cfg = dev.lanes.autoencoder.model.Models.builder("topk").inputs(n).hidden(hidden).k(k)
                .preBias(preBias).unitNormDecoder(unitNorm).auxK(auxK, 1f / 32).deadSteps(deadSteps).seed(seed).config();
        float lr = 1e-3f;
        Step step;
        SparseTopK sparse = null;
        if (dense) {
            Trainer trainer = new Trainer(new Autoencoder(cfg), Adam.defaults(), LearningRate.constant(lr), batch, seed, 0f);
            step = trainer::trainStep;
        } else {
            sparse = model.equals("batchtopk") ? SparseTopK.batchTopK(cfg, lr) : new SparseTopK(cfg, lr, lazyEncoder);
            step = sparse::trainStep;
            sparse.prepare(x, rows);
        }
        float[] buf = new float[batch * n];
        int span = rows - batch;
        for (int s = 0; s < 10; s++) {
            System.arraycopy(x, s * batch * n, buf, 0, batch * n);
            step.run(batch, buf);
        }
        if (sparse != null) {
            sparse.timing().reset();
        }
        float loss = Float.NaN;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            int o = (int) ((long) s * batch % span);
            System.arraycopy(x, o * n, buf, 0, batch * n);
            loss = step.run(batch, buf);
        }
        double dt = (System.nanoTime() - t0) * 1e-9;
        double dc = (cpu.getCurrentThreadCpuTime() - c0) * 1e-9;
        System.out.printf(Locale.ROOT, "lanes %s (%s) threads=%d model=%s 784-%d-784 k=%d batch=%d: %.0f samples/s, loss %.4f (cpu: %.0f samples/s)%n  last loss %s%n",
                dense ? "dense" : lazyEncoder ? "sparse-lazy-encoder" : "sparse", Lanes.implementation(), threads, model, hidden, k, batch, steps * batch / dt, loss, steps * batch / dc, Float.toString(loss));
        if (breakdown && sparse != null) {
            SparseTopK.Timing tm = sparse.timing();
            double per = 1e-6 / tm.steps;
            System.out.printf(Locale.ROOT, "  per step (ms): encoder+topk %.2f  decoder+loss %.2f  backward %.2f  "
                    + "grad+lazy Adam %.2f  total %.2f (wall %.2f)%n", tm.encoder * per, tm.decoder * per,
                    tm.backward * per, tm.optimizer * per, (tm.encoder + tm.decoder + tm.backward + tm.optimizer) * per,
                    dt * 1e3 / steps);
            if (auxK > 0) {
                System.out.printf(Locale.ROOT, "  auxk: %d dead latents at the end, last aux loss %.4f%n",
                        sparse.deadLatents(), sparse.auxLoss());
            }
            if (sparse.isBatchTopK()) {
                System.out.printf(Locale.ROOT, "  batchtopk: threshold %.4f, rows recomputed %.2f per step%n",
                        sparse.threshold(), (double) sparse.recomputedRows() / (steps + 10));
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        float run(int rows, float[] x);
    }
}
