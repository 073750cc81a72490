package tpdiff4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.data.GifFrames;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

class VideoSamplerTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static Trainer trained(int stages) {
        Trainer t = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))
                .withConfig(TrainConfig.flowMatching(stages, 8, 5).withBatchSize(2))
                .withData(SpriteVideos.builder().withFrames(8).withSize(16).build()).withProgress(false).build();
        t.train(5); // non-zero output layer
        return t;
    }

    @Test
    void onePyramidStageIsExactlyTheVanillaSampler() {
        try (Trainer t = trained(1); NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 8, 1, 16, 16);
            for (var solver : List.of(Solvers.euler(), Solvers.ddim())) {
                NDArray a = VideoSampler.vanilla(Schedules.flowMatching(), solver, 6).sample(t.denoiser(), m, s, 21);
                NDArray b = VideoSampler.pyramid(TemporalPyramid.uniform(Schedules.flowMatching(), 1, 8), solver, 6)
                        .sample(t.denoiser(), m, s, 21);
                assertArrayEquals(a.toFloatArray(), b.toFloatArray());
                assertTrue(a.abs().max().getFloat() > 0.1f, "the model moved the sample");
            }
        }
    }

    @Test
    void pyramidSamplingGivesFullRateClipsAndReportsEveryStep() {
        try (Trainer t = trained(3); NDManager m = NDManager.newBaseManager()) {
            List<Long> frames = new ArrayList<>();
            VideoSampler p = VideoSampler.pyramid(t.pyramid(), Solvers.euler(), 2, 3, 4)
                    .withListener((i, time, x, x0) -> frames.add(x.getShape().get(1)));
            NDArray y = p.sample(t.denoiser(), m, new Shape(3, 8, 1, 16, 16), 8);
            assertEquals(new Shape(3, 8, 1, 16, 16), y.getShape());
            assertEquals(9, p.totalSteps());
            assertEquals(9, frames.size(), "one listener call per solver step: " + frames);
            assertTrue(frames.contains(2L) && frames.contains(4L) && frames.contains(8L), "all stages seen: " + frames);
            NDArray again = p.withListener((i, time, x, x0) -> { }).sample(t.denoiser(), m, new Shape(3, 8, 1, 16, 16), 8);
            assertArrayEquals(y.toFloatArray(), again.toFloatArray(), "same seed, same clips");
        }
    }

    /**
     * A diverged sample's pixels (NaN, +-Inf) are magenta in the frames and in the GIF (environment/compare writes its
     * GIFs this way); before, NaN and -Inf were black like the background and +Inf white like a sprite, so a diverged
     * clip looked like a real one. The GIF then goes on the colour palette, whose magenta is exact.
     */
    @Test
    void aDivergedSamplesPixelsAreMagentaInFramesAndGif(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[2 * 1 * 4 * 4];
            java.util.Arrays.fill(v, -1f);
            v[0] = Float.NaN;                 // frame 0, (0, 0)
            v[5] = Float.POSITIVE_INFINITY;   // frame 0, (1, 1)
            v[16 + 10] = Float.NEGATIVE_INFINITY; // frame 1, (2, 2)
            v[16 + 15] = 1f;                  // frame 1, (3, 3): a finite white pixel stays white
            NDArray clips = m.create(v, new Shape(1, 2, 1, 4, 4));
            List<BufferedImage> imgs = VideoFrames.images(clips, 0, 1);
            assertEquals(VideoFrames.NON_FINITE_RGB, imgs.get(0).getRGB(0, 0) & 0xffffff);
            assertEquals(VideoFrames.NON_FINITE_RGB, imgs.get(0).getRGB(1, 1) & 0xffffff);
            assertEquals(VideoFrames.NON_FINITE_RGB, imgs.get(1).getRGB(2, 2) & 0xffffff);
            assertEquals(0xffffff, imgs.get(1).getRGB(3, 3) & 0xffffff);
            assertEquals(0x000000, imgs.get(1).getRGB(0, 0) & 0xffffff);
            Path f = dir.resolve("diverged.gif");
            Files.write(f, VideoFrames.gif(clips, 0, 1, 100));
            List<BufferedImage> back = GifFrames.read(f);
            assertEquals(VideoFrames.NON_FINITE_RGB, back.get(0).getRGB(0, 0) & 0xffffff);
            assertEquals(VideoFrames.NON_FINITE_RGB, back.get(1).getRGB(2, 2) & 0xffffff);
        }
    }

    @Test
    void framesAndAnimatedGif(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray clips = SpriteVideos.builder().withFrames(4).withSize(16).withChannels(3).build().batch(m, 2, 1);
            int held = ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size();
            List<BufferedImage> imgs = VideoFrames.images(clips, 1, 3);
            VideoFrames.gif(clips, 0, 1, 100);
            assertEquals(held, ((ai.djl.ndarray.BaseNDManager) m).getManagedArrays().size(),
                    "no array left behind on the clips' manager (one per call piled up in a notebook's manager)");
            assertEquals(4, imgs.size());
            assertEquals(48, imgs.get(0).getWidth());
            float v = clips.getFloat(1, 2, 0, 5, 7);
            assertEquals(VideoFrames.byteOf(v), (imgs.get(2).getRGB(7 * 3 + 1, 5 * 3 + 2) >> 16) & 255);
            Path f = dir.resolve("clip.gif");
            Files.write(f, VideoFrames.gif(clips, 0, 2, 120));
            List<BufferedImage> back = GifFrames.read(f);
            assertEquals(4, back.size());
            var reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
            try (var in = javax.imageio.ImageIO.createImageInputStream(f.toFile())) {
                reader.setInput(in);
                var tree = reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
                String xml = dump(tree);
                assertTrue(xml.contains("delayTime=12"), xml);
                assertTrue(xml.contains("NETSCAPE"), xml);
            }
        }
    }

    private static String dump(org.w3c.dom.Node n) {
        StringBuilder sb = new StringBuilder("<" + n.getNodeName());
        if (n.getAttributes() != null) {
            for (int i = 0; i < n.getAttributes().getLength(); i++) {
                sb.append(' ').append(n.getAttributes().item(i).getNodeName()).append('=').append(n.getAttributes().item(i).getNodeValue());
            }
        }
        sb.append('>');
        for (org.w3c.dom.Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            sb.append(dump(c));
        }
        return sb.toString();
    }

    /** A nonlinear stand-in model (no training needed): velocity tanh(x) (1 + t). */
    static final Denoiser TOY = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.tanh().mul(1 + t));

    /** Vanilla sampling is the engine's one-stage pyramid: the seeded start noise, then one solver run 1 -> 0. */
    @Test
    void vanillaIsOneSolverRunFromTheSeededNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 4, 1, 3, 3);
            NDArray got = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.heun(), 5).sample(TOY, m, s, 13);
            NDArray start = GaussianNoise.normal(m, s, DataType.FLOAT32, GaussianNoise.derive(13, 0));
            NDArray want = Solvers.heun().solve(TOY, Schedules.flowMatching(), start, TimeGrid.uniform(1, 0, 5));
            assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 0.0f);
            assertEquals(m, got.getManager(), "the result belongs to the caller's manager");
        }
    }

    /** The jump rule, steps and solver are set on the sampler and reach the engine; nothing else samples. */
    @Test
    void withJumpRuleStepsAndSolverReachTheEngine() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        VideoSampler base = VideoSampler.pyramid(p, Solvers.euler(), 2, 3, 4);
        VideoSampler ablation = base.withJumpRule(JumpRule.NONE).withSteps(3).withSolver(Solvers.heun());
        assertEquals(JumpRule.CORRECTED, base.jumpRule());
        assertEquals(JumpRule.NONE, ablation.jumpRule());
        assertArrayEquals(new int[] {3, 3, 3}, ablation.steps());
        assertArrayEquals(new int[] {2, 3, 4}, base.steps());
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 8, 1, 3, 3);
            float[] got = ablation.sample(TOY, m, s, 5).toFloatArray();
            float[] engine = PyramidSampler.of(p, Solvers.heun(), 3).withJumpRule(JumpRule.NONE)
                    .sample(TOY, m, s, DataType.FLOAT32, 5).toFloatArray();
            assertArrayEquals(engine, got, 0.0f);
            float[] corrected = ablation.withJumpRule(JumpRule.CORRECTED).sample(TOY, m, s, 5).toFloatArray();
            assertTrue(maxAbsDiff(got, corrected) > 1e-3, "the jump rule changes the sample");
            // no renoise and a still model: repeated frames stay equal through the last stage's zero velocity
            Denoiser still = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.mul(0f));
            float[] y = base.withJumpRule(JumpRule.NONE).sample(still, m, s, 5).toFloatArray();
            int frame = 9;   // 1 x 3 x 3 values per frame
            for (int i = 0; i < frame; i++) {
                assertEquals(y[i], y[frame + i], 0.0f, "frames 0 and 1 repeat");
            }
        }
    }

    @Test
    void badSettingsAreNamed() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        VideoSampler v = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.withSteps(3, 3));
        assertTrue(e.getMessage().contains("[3, 3]") && e.getMessage().contains("one value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VideoSampler.pyramid(p, Solvers.euler(), 2, 2));
        assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("3 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.withSolver(null));
        assertTrue(e.getMessage().contains("solver = null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.withJumpRule(null));
        assertTrue(e.getMessage().contains("jump rule = null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VideoSampler.pyramid(p, Solvers.euler(), 2).engine(16));
        assertTrue(e.getMessage().contains("frames = 16") && e.getMessage().contains("allowed: 8"), e.getMessage());
        assertEquals(1, v.engine(16).pyramid().size());
        assertTrue(v.pyramid().isEmpty());
        assertEquals(p, VideoSampler.pyramid(p, Solvers.euler(), 2).pyramid().orElseThrow());
        Denoiser still = new Denoiser() {   // the zero velocity: never called for an empty or negative batch
            @Override
            public ai.djl.ndarray.NDArray predict(ai.djl.ndarray.NDArray x, double t) {
                return x.zerosLike();
            }

            @Override
            public PredictionType type() {
                return PredictionType.VELOCITY;
            }
        };
        try (NDManager m = tpdiff4j.nn.Compute.newManager()) {
            var spec = SpriteVideos.builder().withFrames(8).withSize(16).build().spec();
            for (int batch : new int[] {0, -1}) {
                e = assertThrows(IllegalArgumentException.class, () -> v.sample(still, m, batch, spec, 1));
                assertTrue(e.getMessage().startsWith("fullShape = (" + batch + ", 8, 1, 16, 16)")
                        && e.getMessage().contains("every size >= 1"), e.getMessage());
            }
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** A null model, manager or spec is named at the call instead of surfacing as a NullPointerException mid-sampling. */
    @Test
    void nullModelManagerOrSpecIsRefusedByName() {
        VideoSampler s = VideoSampler.pyramid(TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4), Solvers.euler(), 1);
        Denoiser zero = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.zerosLike());
        tpdiff4j.data.VideoSpec spec = new tpdiff4j.data.VideoSpec(4, 1, 2, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.sample(null, m, 1, spec, 1));
            assertTrue(e.getMessage().startsWith("model = null"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> s.sample(zero, null, 1, spec, 1));
            assertTrue(e.getMessage().startsWith("manager = null"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> s.sample(zero, m, 1, null, 1));
            assertTrue(e.getMessage().startsWith("spec = null"), e.getMessage());
            assertEquals(new Shape(1, 4, 1, 2, 2), s.sample(zero, m, 1, spec, 1).getShape());
        }
    }

    /**
     * A network built for 8 frames takes 4 frames for a half-rate pyramid stage (positions 0, 2, 4, 6), so clips of
     * another frame count, vanilla or from a pyramid of their own, would come out without an error. They are refused
     * by name; the network's own frame count still samples.
     */
    @Test
    void framesOtherThanTheNetworksAreRefused() {
        try (Trainer t = trained(2); NDManager m = NDManager.newBaseManager()) {
            VideoSampler vanilla = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vanilla.sample(t.denoiser(), m, 1, new tpdiff4j.data.VideoSpec(4, 1, 16, 16), 3));
            assertTrue(e.getMessage().startsWith("fullShape = (1, 4, 1, 16, 16) asks for 4 frames, but the model's"
                    + " network was built for 8 frames; allowed: [B, 8, C, H, W]"), e.getMessage());
            VideoSampler small = VideoSampler.pyramid(TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4),
                    Solvers.euler(), 2);
            e = assertThrows(IllegalArgumentException.class,
                    () -> t.withEmaWeights(() -> small.sample(t.denoiser(), m, new Shape(1, 4, 1, 16, 16), 3)));
            assertTrue(e.getMessage().contains("(the sampler's pyramid has 4)") && e.getMessage().contains("a pyramid"
                    + " of 8 frames"), e.getMessage());
            assertEquals(new Shape(1, 8, 1, 16, 16), VideoSampler.pyramid(t.pyramid(), Solvers.euler(), 2)
                    .sample(t.denoiser(), m, 1, new tpdiff4j.data.VideoSpec(8, 1, 16, 16), 3).getShape());
        }
    }

    /**
     * A closed manager, a closed trainer and a denoiser whose trainer was closed after it was taken are named as such,
     * instead of DJL's "NDManager has been closed already", which does not say whose manager it was.
     */
    @Test
    void closedManagerAndClosedTrainerAreNamed() {
        VideoSampler s = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 2);
        tpdiff4j.data.VideoSpec spec = new tpdiff4j.data.VideoSpec(8, 1, 16, 16);
        Trainer t = trained(1);
        Denoiser taken = t.denoiser();
        NDManager closed = NDManager.newBaseManager();
        closed.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.sample(taken, closed, 1, spec, 1));
        assertTrue(e.getMessage().startsWith("manager = ") && e.getMessage().contains(" is closed; allowed: an open"
                + " NDManager"), e.getMessage());
        t.close();
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalStateException w = assertThrows(IllegalStateException.class, () -> s.sample(taken, m, 1, spec, 1));
            assertTrue(w.getMessage().startsWith("the network's weights have been freed"), w.getMessage());
            w = assertThrows(IllegalStateException.class, t::denoiser);
            assertTrue(w.getMessage().startsWith("denoiser() on a closed trainer"), w.getMessage());
            w = assertThrows(IllegalStateException.class, () -> t.withEmaWeights(() -> 1));
            assertTrue(w.getMessage().startsWith("withEmaWeights on a closed trainer"), w.getMessage());
            w = assertThrows(IllegalStateException.class, t::step);
            assertTrue(w.getMessage().startsWith("step() on a closed trainer"), w.getMessage());
        }
    }

    /**
     * withSolver changes the solver and nothing else: a listener and a progress switch set on the sampler carry over
     * to the new solver (before, they were dropped, and a StageSnapshots listener stayed empty without a word), in
     * either order of the calls; withSteps and withJumpRule keep them too.
     */
    @Test
    void withSolverKeepsTheListenerAndProgress() {
        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4);
        Denoiser zero = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.zerosLike());
        List<Double> times = new ArrayList<>();
        VideoSampler watched = VideoSampler.pyramid(p, Solvers.euler(), 2).withProgress(true)
                .withListener((i, t, x, x0) -> times.add(t));
        try (NDManager m = NDManager.newBaseManager()) {
            for (VideoSampler s : List.of(watched.withSolver(Solvers.heun()), watched.withSolver(Solvers.rk4())
                    .withSteps(1, 3).withJumpRule(JumpRule.NONE))) {
                times.clear();
                assertTrue(s.solver().progress(), s.solver().toString());
                java.io.PrintStream out = System.out;
                java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
                System.setOut(new java.io.PrintStream(printed, true));
                try {
                    s.sample(zero, m, new Shape(1, 4, 1, 2, 2), 1);
                } finally {
                    System.setOut(out);
                }
                assertEquals(s.totalSteps(), times.size(), "one listener call per step of " + s.solver());
                assertTrue(printed.toString().contains("stage 2/2"), printed.toString());
            }
            times.clear();
            VideoSampler quiet = VideoSampler.pyramid(p, Solvers.euler(), 2).withSolver(Solvers.heun().withProgress(true));
            assertTrue(quiet.solver().progress(), "a solver's own switch stays when the sampler sets none");
            watched.withListener(null).withProgress(false).withSolver(Solvers.heun())
                    .sample(zero, m, new Shape(1, 4, 1, 2, 2), 1);
            assertEquals(0, times.size(), "withListener(null) removes the listener");
        }
    }

    /**
     * A network's time input means its training schedule's t: sampling trainer.denoiser() with another schedule (here
     * flow matching with shift 3 for a model trained without shift) would feed it latents of other noise levels at
     * every step, without an error. It is refused, naming both schedules; the training schedule and a table of it
     * (equal within 1e-7) sample.
     */
    @Test
    void aScheduleOtherThanTheTrainingOneIsRefused() {
        try (Trainer t = trained(1); NDManager m = NDManager.newBaseManager()) {
            tpdiff4j.data.VideoSpec spec = new tpdiff4j.data.VideoSpec(8, 1, 16, 16);
            VideoSampler shifted = VideoSampler.vanilla(Schedules.flowMatching(3.0), Solvers.euler(), 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> shifted.sample(t.denoiser(), m, 1, spec, 3));
            assertTrue(e.getMessage().startsWith("schedule = " + Schedules.flowMatching(3.0) + ", but the model was"
                    + " trained on " + Schedules.flowMatching()) && e.getMessage().contains("allowed: the training"
                    + " schedule"), e.getMessage());
            VideoSampler otherPyramid = VideoSampler.pyramid(TemporalPyramid.uniform(Schedules.cosine(1000), 2, 8),
                    Solvers.euler(), 2);
            assertThrows(IllegalArgumentException.class, () -> t.withEmaWeights(() -> otherPyramid.sample(t.denoiser(),
                    m, 1, spec, 3)));
            VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 2).sample(t.denoiser(), m, 1, spec, 3);
            VideoSampler.vanilla(Schedules.tabulated(Schedules.flowMatching(), 256), Solvers.euler(), 2)
                    .sample(t.denoiser(), m, 1, spec, 3);
        }
    }

    /**
     * A network learns each stage's frame count on that stage's time window only: sampling a three-stage TPDiff
     * network at full rate from pure noise, through two stages, or through three stages with other windows would run
     * it on inputs it never saw, without an error. trainer.denoiser() states its training pyramid, so those are
     * refused, naming both; other steps per stage, another solver and jump rule sample; withAnyPyramid() lifts the
     * check (same weights), and a vanilla-trained network is held to one stage the same way.
     */
    @Test
    void stagesOtherThanTheTrainingOnesAreRefused() {
        try (Trainer t = trained(3); Trainer v = trained(1); NDManager m = NDManager.newBaseManager()) {
            tpdiff4j.data.VideoSpec spec = new tpdiff4j.data.VideoSpec(8, 1, 16, 16);
            TemporalPyramid trainedOn = t.pyramid();
            assertEquals(trainedOn, t.denoiser().pyramid().orElseThrow());
            VideoSampler vanilla = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vanilla.sample(t.denoiser(), m, 1, spec, 3));
            assertTrue(e.getMessage().startsWith("sampler stages = [8 frames on t in [0, 1]], but the model was trained"
                    + " on [2 frames on t in [") && e.getMessage().contains("withAnyPyramid()"), e.getMessage());
            for (TemporalPyramid other : List.of(TemporalPyramid.uniform(Schedules.flowMatching(), 2, 8),
                    TemporalPyramid.builder(Schedules.flowMatching(), 8).withBoundaries(0.5, 0.25).build())) {
                VideoSampler s = VideoSampler.pyramid(other, Solvers.euler(), 1);
                e = assertThrows(IllegalArgumentException.class, () -> s.sample(t.denoiser(), m, 1, spec, 3));
                assertTrue(e.getMessage().startsWith("sampler stages = ") && e.getMessage().contains("allowed: the"
                        + " training pyramid"), e.getMessage());
            }
            NDArray a = VideoSampler.pyramid(trainedOn, Solvers.euler(), 1, 2, 3).withJumpRule(JumpRule.NONE)
                    .withSolver(Solvers.heun()).sample(t.denoiser(), m, 1, spec, 3);
            assertEquals(new Shape(1, 8, 1, 16, 16), a.getShape());
            // the same pyramid on a table of its schedule: windows within the schedule check's tolerance
            VideoSampler.pyramid(trainedOn.withSchedule(Schedules.tabulated(Schedules.flowMatching(), 256)),
                    Solvers.euler(), 1).sample(t.denoiser(), m, 1, spec, 3);
            NDArray free = vanilla.sample(t.denoiser().withAnyPyramid(), m, 1, spec, 3);
            NDArray plain = vanilla.sample(new tpdiff4j.nn.NetDenoiser(t.model(), PredictionType.VELOCITY), m, 1, spec, 3);
            assertArrayEquals(plain.toFloatArray(), free.toFloatArray(), "the same network and weights");
            assertTrue(t.denoiser().withAnyPyramid().pyramid().isEmpty());
            VideoSampler threeStages = VideoSampler.pyramid(trainedOn, Solvers.euler(), 1);
            e = assertThrows(IllegalArgumentException.class, () -> threeStages.sample(v.denoiser(), m, 1, spec, 3));
            assertTrue(e.getMessage().contains("but the model was trained on [8 frames on t in [0, 1]]"), e.getMessage());
        }
    }
}
