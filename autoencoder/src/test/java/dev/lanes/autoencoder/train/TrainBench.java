package dev.lanes.autoencoder.train;

import dev.lanes.autoencoder.model.Autoencoder;
import dev.lanes.autoencoder.model.Models;
import dev.lanes.core.Lanes;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Training throughput on Fashion-MNIST, shaped like {@code shared/anchors/torch_sae.py}: Adam lr 1e-3,
 * batch 256, consecutive slices of the training images, warm-up steps (10 as the anchor, or more: C2 must compile the Vector API code), then timed steps.
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.lanes.autoencoder.train.TrainBench MODEL HIDDEN [STEPS] [THREADS] [WARMUP]</pre>
 * MODEL is ae, sparse-l1, sparse-kl, topk or dae.
 */
public final class TrainBench {

    private TrainBench() {
    }

    public static void main(String[] args) throws IOException {
        String model = args.length > 0 ? args[0] : "sparse-l1";
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Lanes.setThreads(args.length > 3 ? Integer.parseInt(args[3]) : 1);
        int batch = 256;
        float[] x = images(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
        int rows = x.length / 784;
        Autoencoder m = Models.builder(model).inputs(784).hidden(hidden).seed(0).build();
        Trainer t = new Trainer(m, Adam.defaults(), LearningRate.constant(1e-3f), batch, 0, 0f);
        float[] buf = new float[batch * 784];
        int span = rows - batch;
        m.prepare(x, rows);
        float loss = 0;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        for (int s = 0; s < warmup; s++) {
            System.arraycopy(x, (int) ((long) s * batch % span) * 784, buf, 0, batch * 784);
            loss = t.trainStep(batch, buf);
        }
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = mx.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            int o = (int) ((long) s * batch % span);
            System.arraycopy(x, o * 784, buf, 0, batch * 784);
            loss = t.trainStep(batch, buf);
        }
        double sec = (System.nanoTime() - t0) * 1e-9;
        long alloc = (mx.getCurrentThreadAllocatedBytes() - bytes) / steps;
        System.out.printf("lanes %s threads=%d model=%s 784-%d-784 batch=%d: %.0f samples/s, loss %.4f, %d B allocated/step%n",
                Lanes.implementation(), Lanes.threads(), model, hidden, batch, steps * batch / sec, loss, alloc);
    }

    static float[] images(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != 0x803) {
                throw new IOException(file + ": not an IDX image file");
            }
            int n = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            byte[] bytes = in.readNBytes(n * h * w);
            float[] x = new float[bytes.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (bytes[i] & 0xff) / 255f;
            }
            return x;
        }
    }
}
