package dev.lanes.autoencoder.sparse;

import java.util.Arrays;

/**
 * A batch's (sample, latent) pairs grouped by latent, latents ascending, samples ascending within a latent:
 * the order in which {@link LazyAdam} forms each active latent's gradient rows. Group r is latent
 * {@code active[r]}, slots {@code [ptr[r], ptr[r+1])}; each slot holds the decoder's source row
 * ({@code sample}: a row of dy, or with AuxK of its second half), the encoder's ({@code sampleEnc}: a row of
 * x), the activation and the code gradient. {@code slotOf[u]} is the slot of the u-th selected pair (main
 * pairs first, then the aux pairs).
 */
final class LatentGroups {

    private final int h;
    private final int[] count;
    final int[] ptr;
    int[] active;
    int activeCount;
    int[] sample;
    int[] sampleEnc;
    float[] act;
    float[] dz;
    int[] slotOf;

    LatentGroups(int h) {
        this.h = h;
        this.count = new int[h];
        this.ptr = new int[h + 1];
    }

    /** Buffers for up to {@code pairs} pairs. */
    void allocate(int pairs) {
        active = new int[Math.min(h, pairs)];
        sample = new int[pairs];
        sampleEnc = new int[pairs];
        act = new float[pairs];
        dz = new float[pairs];
        slotOf = new int[pairs];
    }

    /** Groups the {@code b} rows of {@code sel} and, when {@code aux.active}, the aux pairs. */
    void group(int b, Selection sel, AuxK aux) {
        int[] ptrK = sel.ptr;
        int[] topIdx = sel.idx;
        Arrays.fill(count, 0);
        int main = ptrK[b];
        int auxK = aux.k;
        int auxPairs = aux.active ? b * auxK : 0;
        int[] auxLat = aux.lat;
        for (int u = 0; u < main; u++) {
            count[topIdx[u]]++;
        }
        for (int q = 0; q < auxPairs; q++) {
            count[auxLat[q]]++;
        }
        activeCount = 0;
        ptr[0] = 0;
        for (int j = 0; j < h; j++) {
            if (count[j] > 0) {
                active[activeCount] = j;
                ptr[activeCount + 1] = ptr[activeCount] + count[j];
                count[j] = ptr[activeCount]; // from here on: the next free slot of latent j
                activeCount++;
            }
        }
        float[] a = sel.act;
        for (int i = 0; i < b; i++) {
            for (int u = ptrK[i]; u < ptrK[i + 1]; u++) {
                int slot = count[topIdx[u]]++;
                slotOf[u] = slot;
                sample[slot] = i;
                sampleEnc[slot] = i;
                act[slot] = a[u];
            }
        }
        // AuxK pairs: the decoder's source row is the aux gradient (row b + i of dy), the encoder's is x_i
        float[] auxAct = aux.act;
        for (int q = 0; q < auxPairs; q++) {
            int i = q / auxK;
            int slot = count[auxLat[q]]++;
            slotOf[main + q] = slot;
            sample[slot] = b + i;
            sampleEnc[slot] = i;
            act[slot] = auxAct[q];
        }
    }
}
