package dev.lanes.autoencoder.cli;

import dev.lanes.autoencoder.data.Idx;
import dev.lanes.autoencoder.data.Npy;
import dev.lanes.autoencoder.io.FileFormatException;
import dev.lanes.autoencoder.io.Safetensors;
import dev.lanes.autoencoder.io.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lanes info FILE}: the tensors and metadata of a safetensors file, or the header of a .npy or IDX file.
 * The kind is recognised from the first bytes, not from the name.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the tensors and metadata of a .safetensors file, or the header of a .npy or IDX file.")
final class InfoCommand implements Callable<Integer> {

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(file)) {
            throw new FileFormatException(file, "no such file (expected a .safetensors, .npy or IDX file)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FileFormatException(file, "not a readable regular file (expected a .safetensors, .npy or IDX file)");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (head.length >= 6 && Arrays.equals(Arrays.copyOf(head, 6), NPY_MAGIC)) {
            Npy.Header h = Npy.readHeader(file);
            out.printf("%s: npy float32 (<f4, C order), shape %s, data at byte %d%n", file,
                    Arrays.toString(h.shape()), h.dataOffset());
        } else if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            idx(out, gunzipMagic());
        } else if (head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08) {
            idx(out, magic(head));
        } else if (head.length == 9 && head[8] == '{') {
            Safetensors.Contents c = Safetensors.read(file);
            out.printf("%s: safetensors, %d tensors%n", file, c.tensors().size());
            for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
                out.printf("  %-16s F32 %s%n", e.getKey(), Arrays.toString(e.getValue().shape()));
            }
            for (Map.Entry<String, String> e : c.metadata().entrySet()) {
                out.printf("  metadata %s = %s%n", e.getKey(), e.getValue());
            }
        } else {
            throw new FileFormatException(file, "unknown format: expected a safetensors file (8-byte length, then '{'), "
                    + "a .npy file (\\x93NUMPY) or an IDX file (magic 0x00000801 or 0x00000803, raw or gzip)");
        }
        out.flush();
        return 0;
    }

    private void idx(PrintWriter out, int magic) throws IOException {
        if (magic == Idx.IMAGES_MAGIC) {
            Idx.Images im = Idx.readImages(file);
            out.printf("%s: IDX unsigned-byte images, %d x %d x %d%n", file, im.n(), im.height(), im.width());
        } else if (magic == Idx.LABELS_MAGIC) {
            int[] labels = Idx.readLabels(file);
            out.printf("%s: IDX unsigned-byte labels, %d%n", file, labels.length);
        } else {
            throw new FileFormatException(file, String.format("IDX magic 0x%08x not supported; expected 0x%08x (images) "
                    + "or 0x%08x (labels)", magic, Idx.IMAGES_MAGIC, Idx.LABELS_MAGIC));
        }
    }

    private int gunzipMagic() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                throw new FileFormatException(file, "truncated: gzip data ends before the 4-byte IDX magic");
            }
            return magic(b);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new FileFormatException(file, "truncated or corrupt gzip data: " + e.getMessage());
        }
    }

    private static int magic(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
