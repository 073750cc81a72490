package tpdiff4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A user's own videos: a folder holding animated GIFs and/or sub-folders of frame images (PNG/JPEG, in file-name
 * order). Every video is resized to the spec's H x W (bilinear), converted to grayscale or RGB, scaled to [-1, 1]
 * and cut into non-overlapping clips of F frames (a tail shorter than F is dropped).
 *
 * <p>Unreadable or corrupt files are skipped and listed in {@link #skipped()} ("name: reason"), also printed to
 * stderr unless quiet; a folder that yields no clip at all is an {@link IllegalArgumentException} that says why.
 * Clip {@code seed} of {@link #fill} is clip number {@code floorMod(seed, clipCount())}; batches draw clips
 * uniformly with replacement from the batch seed.
 */
public final class FolderVideos implements VideoDataset {

    private final VideoSpec spec;
    private final List<float[]> clips;
    private final List<String> sources;
    private final List<String> skipped;

    private FolderVideos(VideoSpec spec, List<float[]> clips, List<String> sources, List<String> skipped) {
        this.spec = spec;
        this.clips = clips;
        this.sources = sources;
        this.skipped = skipped;
    }

    /**
     * The clip count, shape and sources, e.g. {@code "FolderVideos(12 clips of 16 frames of 1 x 16 x 16 from
     * [a.gif, b])"}.
     */
    @Override
    public String toString() {
        return "FolderVideos(" + clips.size() + " clips of " + spec.frames() + " frames of " + spec.channels() + " x "
                + spec.height() + " x " + spec.width() + " from " + (sources.size() <= 3 ? sources.toString()
                : sources.subList(0, 3).toString().replace("]", ", ... " + (sources.size() - 3) + " more]")) + ")";
    }

    /** Loads {@code dir}, reporting skipped files on stderr. */
    public static FolderVideos load(Path dir, VideoSpec spec) throws IOException {
        return load(dir, spec, false);
    }

    /**
     * Loads every GIF and every frame folder directly inside {@code dir}.
     *
     * @throws IllegalArgumentException if {@code dir} is not a directory or no clip of F frames could be made
     */
    public static FolderVideos load(Path dir, VideoSpec spec, boolean quiet) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dir = " + dir + ": not a directory");
        }
        List<float[]> clips = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path p : sorted(dir)) {
            String name = p.getFileName().toString();
            try {
                List<BufferedImage> frames;
                if (Files.isDirectory(p)) {
                    frames = readFrameFolder(p, skipped);
                } else if (name.toLowerCase(Locale.ROOT).endsWith(".gif")) {
                    frames = GifFrames.read(p);
                } else if (isImage(name)) {
                    skipped.add(name + ": a single image is not a video (put frames in a sub-folder)");
                    continue;
                } else {
                    continue;
                }
                int made = cut(frames, spec, clips);
                for (int i = 0; i < made; i++) {
                    sources.add(name);
                }
                if (made == 0) {
                    skipped.add(name + ": " + frames.size() + " readable frames, fewer than F = " + spec.frames());
                }
            } catch (IOException | RuntimeException e) {
                skipped.add(name + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }
        if (!quiet) {
            for (String s : skipped) {
                System.err.println("FolderVideos: skipped " + s);
            }
        }
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("dir = " + dir + ": no usable clip of " + spec.frames()
                    + " frames (expected animated .gif files or sub-folders of .png/.jpg frames)"
                    + (skipped.isEmpty() ? "" : "; skipped: " + String.join("; ", skipped)));
        }
        return new FolderVideos(spec, List.copyOf(clips), List.copyOf(sources), List.copyOf(skipped));
    }

    @Override
    public VideoSpec spec() {
        return spec;
    }

    /** Number of clips cut from the folder. */
    public int clipCount() {
        return clips.size();
    }

    /** The file or folder name each clip came from. */
    public List<String> sources() {
        return sources;
    }

    /** Skipped files, "name: reason". */
    public List<String> skipped() {
        return skipped;
    }

    @Override
    public void fill(long seed, float[] out, int offset) {
        float[] c = clips.get((int) Math.floorMod(seed, (long) clips.size()));
        System.arraycopy(c, 0, out, offset, c.length);
    }

    /** Clip index {@code floorMod(clipSeed, n)} with clipSeed drawn from the batch seed. */
    @Override
    public ai.djl.ndarray.NDArray batch(ai.djl.ndarray.NDManager manager, int batchSize, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] data = new float[batchSize * spec.clipSize()];
        for (int b = 0; b < batchSize; b++) {
            fill(rng.nextInt(clips.size()), data, b * spec.clipSize());
        }
        return Tensors.owned(manager, data, new ai.djl.ndarray.types.Shape(spec.batchShape(batchSize)));
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = new ArrayList<>(s.toList());
            Collections.sort(l);
            return l;
        }
    }

    private static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private static List<BufferedImage> readFrameFolder(Path folder, List<String> skipped) throws IOException {
        List<BufferedImage> frames = new ArrayList<>();
        for (Path f : sorted(folder)) {
            String name = folder.getFileName() + "/" + f.getFileName();
            if (!isImage(f.getFileName().toString())) {
                continue;
            }
            BufferedImage img;
            try {
                img = readImage(f);
            } catch (IOException | RuntimeException e) {
                skipped.add(name + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
                continue;
            }
            if (img == null) {
                skipped.add(name + ": not a readable image");
                continue;
            }
            frames.add(img);
        }
        return frames;
    }

    /**
     * Reads one PNG/JPEG frame, checking the size its header claims before decoding (at most as many pixels as a GIF
     * frame may have); null if no reader knows the format.
     */
    private static BufferedImage readImage(Path f) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w * h > GifDecoder.MAX_PIXELS) {
                    throw new IOException(w + " x " + h + " pixels is larger than the limit of " + GifDecoder.MAX_PIXELS
                            + " pixels per frame: refused before decoding");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Cuts frames into clips of F, appends them, returns how many. */
    private static int cut(List<BufferedImage> frames, VideoSpec spec, List<float[]> clips) {
        int n = frames.size() / spec.frames();
        for (int c = 0; c < n; c++) {
            float[] clip = new float[spec.clipSize()];
            for (int f = 0; f < spec.frames(); f++) {
                toPixels(frames.get(c * spec.frames() + f), spec, clip, f * spec.frameSize());
            }
            clips.add(clip);
        }
        return n;
    }

    /** Resizes one image to H x W and writes it as [C, H, W] in [-1, 1] (grayscale = Rec. 601 luma). */
    static void toPixels(BufferedImage img, VideoSpec spec, float[] out, int offset) {
        int h = spec.height(), w = spec.width();
        BufferedImage r = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = r.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = r.getRGB(x, y);
                double red = (rgb >> 16 & 255) / 255.0, green = (rgb >> 8 & 255) / 255.0, blue = (rgb & 255) / 255.0;
                if (spec.channels() == 1) {
                    out[offset + y * w + x] = (float) (2 * (0.299 * red + 0.587 * green + 0.114 * blue) - 1);
                } else {
                    out[offset + y * w + x] = (float) (2 * red - 1);
                    out[offset + h * w + y * w + x] = (float) (2 * green - 1);
                    out[offset + 2 * h * w + y * w + x] = (float) (2 * blue - 1);
                }
            }
        }
    }
}
