package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Dataset;
import dev.lanes.autoencoder.data.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes encode}: the codes of a data set under a saved model, as a float32 .npy (samples x hidden). */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the codes of the data under a saved model to a float32 .npy (samples x hidden).")
final class EncodeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    EvalCommand.Inputs inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "the codes file (written atomically)")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!out.getFileName().toString().endsWith(".npy")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out=" + out + ": expected a .npy file name");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out=" + out + ": directory " + parent
                    + " does not exist");
        }
        Dataset d = inputs.load();
        int h = inputs.model.codes();
        float[] codes = new float[Math.multiplyExact(d.n(), h)];
        int cap = Evaluation.BATCH;
        float[] x = new float[cap * d.d()];
        float[] c = new float[cap * h];
        for (int r = 0; r < d.n(); r += cap) {
            int b = Math.min(cap, d.n() - r);
            System.arraycopy(d.features(), r * d.d(), x, 0, b * d.d());
            inputs.model.encode(b, x, c);
            System.arraycopy(c, 0, codes, r * h, b * h);
        }
        Npy.write(out, d.n(), h, codes);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "lanes encode: wrote %s (%d x %d float32)%n", out, d.n(), h);
        o.flush();
        return 0;
    }
}
