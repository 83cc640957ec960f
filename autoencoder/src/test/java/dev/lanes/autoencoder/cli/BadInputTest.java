package dev.lanes.autoencoder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.autoencoder.data.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user error: exit code 2, one line on stderr naming the file or option, no stack trace. */
class BadInputTest {

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainATinyModel() {
        model = dir.resolve("run").resolve("model.safetensors");
        LanesCliTest.Run r = LanesCliTest.run("train", "--model", "sparse-l1", "--hidden", "8", "--data", "synthetic",
                "--samples", "64", "--steps", "2", "--batch", "32", "--out", dir.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
    }

    static void userError(String mustName, String... args) {
        LanesCliTest.Run r = LanesCliTest.run(args);
        String what = String.join(" ", args) + "\nstderr: " + r.err();
        assertEquals(2, r.code(), what);
        assertTrue(r.err().contains(mustName), "message must name " + mustName + ": " + what);
        assertEquals(1, r.err().strip().lines().count(), "one line: " + what);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + what);
    }

    /** {@code --option=value}, the other spelling picocli accepts. */
    private static String eq(String option, String value) {
        return option + "=" + value;
    }

    @Test
    void missingFiles() {
        Path missing = dir.resolve("nope.safetensors");
        userError(missing.toString(), "eval", "--model-file", missing.toString(), "--data", "synthetic");
        userError(missing.toString(), "info", missing.toString());
        userError("--data", "train", "--model", "ae", "--hidden", "4", "--data", dir.resolve("none").toString(),
                "--out", dir.resolve("o").toString());
        Path emptyDir = dir.resolve("empty-idx");
        emptyDir.toFile().mkdirs();
        userError("train-images-idx3-ubyte", "train", "--model", "ae", "--hidden", "4", "--data", emptyDir.toString(),
                "--out", dir.resolve("o").toString());
    }

    @Test
    void wrongMagic() throws IOException {
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "this is not a model, just some text");
        userError(junk.toString(), "eval", "--model-file", junk.toString(), "--data", "synthetic");
        userError(junk.toString(), "info", junk.toString());
        Path npy = dir.resolve("fake.npy");
        Files.writeString(npy, "PK not numpy at all");
        userError(npy.toString(), "train", "--model", "ae", "--hidden", "4", "--data", npy.toString(),
                "--out", dir.resolve("o").toString());
        Path labels = LanesCliTest.IdxFiles.labels(dir.resolve("swapped"), "train", 3);
        Files.move(labels, dir.resolve("swapped").resolve("train-images-idx3-ubyte"));
        userError("train-images-idx3-ubyte", "train", "--model", "ae", "--hidden", "4", "--data",
                dir.resolve("swapped").toString(), "--out", dir.resolve("o").toString());
    }

    @Test
    void truncatedFiles() throws IOException {
        Path cut = dir.resolve("cut.safetensors");
        byte[] all = Files.readAllBytes(model);
        Files.write(cut, Arrays.copyOf(all, all.length - 100));
        userError(cut.toString(), "eval", "--model-file", cut.toString(), "--data", "synthetic");
        userError(cut.toString(), "encode", "--model-file", cut.toString(), "--data", "synthetic",
                "--out", dir.resolve("c.npy").toString());
        Path npy = dir.resolve("full.npy");
        Npy.write(npy, 10, 128, new float[1280]);
        Path npyCut = dir.resolve("cut.npy");
        Files.write(npyCut, LanesCliTest.prefix(npy, 1000));
        userError(npyCut.toString(), "info", npyCut.toString());
        userError(npyCut.toString(), "eval", "--model-file", model.toString(), "--data", npyCut.toString());
        Path idx = LanesCliTest.IdxFiles.images(dir.resolve("cut-idx"), "t10k", 5, 3, 3);
        Files.write(idx, LanesCliTest.prefix(idx, 30));
        userError(idx.toString(), "info", idx.toString());
    }

    @Test
    void dataOfTheWrongWidthForTheModel() throws IOException {
        Path npy = dir.resolve("seven.npy");
        Npy.write(npy, 4, 7, new float[28]);
        userError("--data", "eval", "--model-file", model.toString(), "--data", npy.toString());
        userError(model.toString(), "encode", "--model-file", model.toString(), "--data", npy.toString(),
                "--out", dir.resolve("codes.npy").toString());
    }

    @Test
    void badOptions() {
        String out = dir.resolve("o").toString();
        userError("--k", "train", "--model", "topk", "--hidden", "16", "--k", "17", "--data", "synthetic", "--out", out);
        userError("--model", "train", "--model", "vae", "--hidden", "16", "--data", "synthetic", "--out", out);
        userError("--lr", "train", "--model", "ae", "--hidden", "16", eq("--lr", "-1"), "--data", "synthetic", "--out", out);
        userError("--lr", "train", "--model", "ae", "--hidden", "16", eq("--lr", "fast"), "--data", "synthetic", "--out", out);
        userError("--batch", "train", "--model", "ae", "--hidden", "16", "--batch", "0", "--data", "synthetic", "--out", out);
        userError("--hidden", "train", "--model", "ae", "--hidden", "0", "--data", "synthetic", "--out", out);
        userError("--noise", "train", "--model", "dae", "--hidden", "16", "--noise", "masking:1.5", "--data", "synthetic", "--out", out);
        userError("--optimizer", "train", "--model", "ae", "--hidden", "16", "--optimizer", "lbfgs", "--data", "synthetic", "--out", out);
        userError("--epochs", "train", "--model", "ae", "--hidden", "16", "--epochs", "2", "--steps", "3", "--data", "synthetic", "--out", out);
        userError("--rho", "train", "--model", "sparse-kl", "--hidden", "16", "--rho", "2", "--beta", "1", "--data", "synthetic", "--out", out);
        userError("--threads", "train", "--model", "ae", "--hidden", "16", "--threads", "0", "--data", "synthetic", "--out", out);
        userError("--out", "train", "--model", "ae", "--hidden", "16", "--data", "synthetic");
        userError("--out", "train", "--model", "ae", "--hidden", "16", "--data", "synthetic", "--out", model.toString());
        userError("sigmoid", "train", "--model", "ae", "--hidden", "16", "--rho", "0.1", "--beta", "1", "--data", "synthetic", "--out", out);
        userError("--out", "encode", "--model-file", model.toString(), "--data", "synthetic", "--out", dir.resolve("codes.txt").toString());
        userError("frobnicate", "frobnicate");
        userError("lanes", new String[0]);
    }

    @Test
    void sparseOnlyForTopkAndItsOptions() {
        String[] base = {"train", "--hidden", "8", "--data", "synthetic", "--samples", "64", "--steps", "2", "--batch",
            "32", "--sparse", "--out", dir.resolve("sparse-bad").toString()};
        userError("--sparse applies to --model topk only", concat(base, "--model", "sparse-l1"));
        userError("--sparse trains with Adam only", concat(base, "--model", "topk", "--k", "2", "--optimizer", "sgd"));
        for (String[] o : new String[][] {{"--clip", "1"}, {"--schedule", "cosine"}, {"--weight-decay", "0.1"},
                {"--noise", "masking:0.2"}, {"--l1", "0.01"}}) {
            userError(o[0] + " is not supported with --sparse", concat(base, "--model", "topk", "--k", "2", o[0], o[1]));
        }
        userError("--sparse comes from the checkpoint", "train", "--resume", dir.resolve("run").toString(), "--sparse");
        assertFalse(java.nio.file.Files.exists(dir.resolve("sparse-bad")), "nothing written");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
