package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;
import tpdiff4j.data.SpriteTrack;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.metrics.GaussianFit;
import tpdiff4j.metrics.PixelTrack;

/**
 * The public records that hold arrays compare, hash and print by content: a record's own equals compares array
 * components by identity, so two equal values (a clip made twice from one seed, a fit of the same samples) would be
 * unequal, and its text would show {@code [D@1b2c3d} for each array.
 */
class ArrayRecordsTest {

    private static void assertContentValue(Object a, Object sameContent, Object other) {
        assertNotSame(a, sameContent);
        assertEquals(a, sameContent);
        assertEquals(a.hashCode(), sameContent.hashCode());
        assertEquals(a.toString(), sameContent.toString());
        assertNotEquals(a, other);
        assertFalse(a.toString().contains("@"), a.toString());
    }

    @Test
    void spriteClipsAndTracksMadeFromOneSeedAreEqual() {
        SpriteVideos videos = SpriteVideos.builder().withFrames(8).withSize(16).build();
        SpriteVideos.Clip a = videos.clip(7), b = videos.clip(7), c = videos.clip(8);
        assertContentValue(a, b, c);
        assertContentValue(a.tracks().get(0), b.tracks().get(0), c.tracks().get(0));
        assertEquals("Clip[" + a.pixels().length + " pixel values, " + a.tracks().size() + " sprite"
                + (a.tracks().size() == 1 ? "" : "s") + "]", a.toString());
        SpriteTrack t = a.tracks().get(0);
        assertEquals(true, t.toString().startsWith("SpriteTrack[" + t.shape() + ", radius " + t.radius() + ", color "
                + java.util.Arrays.toString(t.color()) + ", 8 frames, centre ("), t.toString());
    }

    @Test
    void gaussianFitsAndPixelTracksCompareByContent() {
        GaussianFit g = new GaussianFit(new double[] {0.5, -1}, new double[][] {{2, 0.1}, {0.1, 1}});
        assertContentValue(g, new GaussianFit(new double[] {0.5, -1}, new double[][] {{2, 0.1}, {0.1, 1}}),
                new GaussianFit(new double[] {0.5, -1}, new double[][] {{2, 0.2}, {0.2, 1}}));
        assertEquals("GaussianFit[dimension 2, mean [0.5, -1.0]]", g.toString());
        PixelTrack p = new PixelTrack(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 0}, new boolean[] {true, false});
        assertContentValue(p, new PixelTrack(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 0},
                new boolean[] {true, false}), new PixelTrack(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6},
                new boolean[] {true, true}));
        assertEquals("PixelTrack[2 frames, detected in 1]", p.toString());
    }
}
