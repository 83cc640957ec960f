package dev.lanes.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.property.Gen;
import dev.lanes.property.Gens;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The checker's own score: every planted fault is caught on every seed tried, and the correct
 * functions raise no false alarm. Shapes vary with the seed (drawn by the property harness).
 */
class MutationTest {

    /** Seeds per mutant: each must be caught on all of them. */
    static final int MUTANT_SEEDS = 20;
    /** Seeds per correct function: none may fail. */
    static final int CORRECT_SEEDS = 50;
    /** Seeds run are {@code BASE + 1 ...}; {@code -Dlanes.mutationSeedBase=N} runs another range. */
    static final long BASE = Long.getLong("lanes.mutationSeedBase", 0L);

    /** A test function family: its name, the mutations it plants, and a factory. */
    record Family(String name, List<Mutation> mutations, Factory factory) {
    }

    @FunctionalInterface
    interface Factory {
        Differentiable make(long seed, Mutation m);
    }

    /** batch, features (>= 2 so an index can shift), a second width, k in [1, features-1]. */
    record Shape(int batch, int features, int width, int k) {
    }

    static Shape shape(long seed) {
        Gen<Shape> g = Gen.zip(Gens.ints(1, 6), Gens.ints(2, 24), Gens.ints(2, 12), Gens.ints(0, 1000),
                (b, f, w, k) -> new Shape(b, f, w, 1 + k % (f - 1)));
        return g.sample(seed, 100);
    }

    static List<Family> families() {
        List<Mutation> basic = List.of(Mutation.BASIC);
        List<Mutation> withAccumulation = new ArrayList<>(basic);
        withAccumulation.add(Mutation.OVERWRITE);
        List<Family> all = new ArrayList<>();
        all.add(new Family("affine", withAccumulation, (s, m) -> {
            Shape p = shape(s);
            return new Functions.Affine(p.batch(), p.features(), p.width(), s, m);
        }));
        for (Functions.Activation a : Functions.Activation.values()) {
            all.add(new Family(a.name().toLowerCase(Locale.ROOT), basic, (s, m) -> {
                Shape p = shape(s);
                // >= 16 elements: with fewer, all ReLU inputs may share a sign and a mutant becomes equivalent
                return new Functions.Elementwise(a, Math.max(16, p.batch() * p.features()), m, a == Functions.Activation.RELU);
            }));
        }
        all.add(new Family("topk", basic, (s, m) -> {
            Shape p = shape(s);
            return new Functions.TopK(p.batch(), p.features(), p.k(), m);
        }));
        all.add(new Family("softmax-ce", basic, (s, m) -> {
            Shape p = shape(s);
            return new Functions.SoftmaxCrossEntropy(p.batch(), p.features(), s, m);
        }));
        all.add(new Family("residual", withAccumulation, (s, m) -> {
            Shape p = shape(s);
            return new Functions.Residual(p.batch(), p.features(), s, m);
        }));
        all.add(new Family("trelu", basic, (s, m) -> {
            Shape p = shape(s);
            // at least 4 x 2 units, so that some are open on every seed (an all-closed TReLU has no gradient to get wrong)
            return new Functions.TReLU(Math.max(4, p.batch()), p.features(), s, m, true);
        }));
        return all;
    }

    @Test
    void everyMutantIsCaughtOnEverySeedAndCorrectFunctionsNeverFail() {
        int mutants = 0;
        int caught = 0;
        int runs = 0;
        int caughtRuns = 0;
        int falseAlarms = 0;
        int correctRuns = 0;
        double worstCorrect = 0;
        int kinks = 0;
        int byFloor = 0;
        List<String> escapes = new ArrayList<>();
        List<String> alarms = new ArrayList<>();
        for (Family family : families()) {
            for (long seed = BASE + 1; seed <= BASE + CORRECT_SEEDS; seed++) {
                GradientReport r = GradientCheck.of(family.factory().make(seed, Mutation.NONE)).seed(seed).run();
                correctRuns++;
                kinks += r.skippedAtKinks();
                worstCorrect = Math.max(worstCorrect, r.worstRelErrorAboveFloor());
                byFloor += r.tensors().stream().mapToInt(GradientReport.TensorResult::passedByFloor).sum();
                if (!r.passed()) {
                    falseAlarms++;
                    alarms.add(r.toString() + "\n" + r.mismatches() + r.contractViolations());
                }
            }
            for (Mutation m : family.mutations()) {
                mutants++;
                int caughtHere = 0;
                for (long seed = BASE + 1; seed <= BASE + MUTANT_SEEDS; seed++) {
                    GradientReport r = GradientCheck.of(family.factory().make(seed, m)).seed(seed).run();
                    runs++;
                    if (!r.passed()) {
                        caughtHere++;
                    } else {
                        escapes.add(family.name() + "/" + m + " seed=" + seed + ": " + r);
                    }
                }
                caughtRuns += caughtHere;
                if (caughtHere == MUTANT_SEEDS) {
                    caught++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "gradcheck mutation score: %d/%d mutants caught on every one of %d seeds"
                        + " (%d/%d runs; seeds %d..%d)%n", caught, mutants, MUTANT_SEEDS, caughtRuns, runs, BASE + 1,
                BASE + MUTANT_SEEDS);
        System.out.printf(Locale.ROOT, "gradcheck false alarms: %d in %d runs (%d functions x %d seeds);"
                        + " worst relative error above the noise floor %.2e (tolerance %.0e); %d elements passed by the"
                        + " noise floor; %d elements skipped at kinks%n",
                falseAlarms, correctRuns, families().size(), CORRECT_SEEDS, worstCorrect, GradientCheck.REL_TOLERANCE,
                byFloor, kinks);
        assertEquals(List.of(), escapes, "mutants that escaped");
        assertEquals(List.of(), alarms, "false alarms");
        assertEquals(mutants, caught);
    }
}
