package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import tpdiff4j.pyramid.NoiseCoupling;

/** Code that users pass in is recorded by a name that is the same in every process. */
class RecordedNameTest {

    /** A coupling whose class keeps Object.toString. */
    static final class Flip implements NoiseCoupling {
        @Override
        public NDArray couple(NDArray data, NDArray noise) {
            return noise.flip(0);
        }
    }

    record Shift(int by) implements NoiseCoupling {
        @Override
        public NDArray couple(NDArray data, NDArray noise) {
            return noise;
        }
    }

    @Test
    void anObjectWithoutItsOwnToStringIsRecordedByItsClassNotItsIdentityHash() {
        Flip a = new Flip(), b = new Flip();
        assertNotEquals(a.toString(), b.toString(), "identity hashes differ, as between two processes");
        assertEquals(Flip.class.getName(), RecordedName.of(a));
        assertEquals(RecordedName.of(a), RecordedName.of(b));
        // a coupling is recorded the same way, so a resume in a new process accepts the same class again
        assertEquals(Couplings.toJson(a), Couplings.toJson(b));
        assertEquals(Flip.class.getName(), Couplings.toJson(a).get("name").getAsString());
    }

    @Test
    void recordsKeepTheirFieldsAndLambdasAreOneName() {
        assertEquals("Shift[by=2]", RecordedName.of(new Shift(2)));
        assertNotEquals(RecordedName.of(new Shift(2)), RecordedName.of(new Shift(3)));
        NoiseCoupling lambda = (d, n) -> n;
        assertEquals("lambda", RecordedName.of(lambda));
    }
}
