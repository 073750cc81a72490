package tpdiff4j.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import tpdiff4j.Refusals;

/**
 * A user's own videos: a folder holding animated GIFs and/or sub-folders of frame images (PNG/JPEG). Every video is
 * resized to the spec's H x W (bilinear, aspect ratio not kept), converted to grayscale (Rec. 601 luma) or RGB,
 * scaled from 0..255 to [-1, 1] and cut into non-overlapping clips of F consecutive frames.
 *
 * <p>Frames of a sub-folder play in natural name order: runs of digits compare as numbers, so {@code 2.png} comes
 * before {@code 10.png} (and {@code frame_9.png} before {@code frame_10.png}). Transparent pixels (GIF transparency,
 * PNG alpha) show the black canvas behind them, so they become -1. Each GIF frame is one video frame: per-frame
 * delays are not read, so a GIF that holds some frames longer than others (or shows partial frames with no delay)
 * plays at another pace once loaded.
 *
 * <p>Nothing is dropped without a note in {@link #skipped()} ("name: reason"), which is also printed to stderr unless
 * quiet: unreadable or corrupt files, files that are neither a GIF nor a folder (hidden files, whose names start with
 * a dot, are ignored), single images, videos with fewer than F frames, and the frames left over after the last whole
 * clip (a 20-frame GIF gives one clip of 16 and a note that 4 frames are unused). An unreadable frame inside a frame
 * folder is a gap: no clip spans it. A folder that yields no clip at all is an {@link IllegalArgumentException} that
 * says why. Frames of a sub-folder are resized as each is read, so a folder of many large frames takes the memory of
 * its clips, not of its frames, and a GIF is resized frame by frame as it is decoded (its file and one frame at
 * full size are held, not all its frames); a frame too large for the memory left ends the load with an
 * {@link OutOfMemoryError} that names it (it is not taken for a damaged frame). Clip {@code seed} of {@link #fill} is clip number
 * {@code floorMod(seed, clipCount())}; batches draw clips uniformly with replacement from the batch seed.
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
     * The clip count, shape and the files and folders they came from (each named once, the first three), e.g.
     * {@code "FolderVideos(12 clips of 16 frames of 1 x 16 x 16 from [a.gif, b])"}.
     */
    @Override
    public String toString() {
        List<String> files = sources.stream().distinct().toList();
        return "FolderVideos(" + clips.size() + (clips.size() == 1 ? " clip of " : " clips of ") + spec.frames() + " frames of " + spec.channels() + " x "
                + spec.height() + " x " + spec.width() + " from " + (files.size() <= 3 ? files.toString()
                : files.subList(0, 3).toString().replace("]", ", ... " + (files.size() - 3) + " more]")) + ")";
    }

    /**
     * The end of a load that an interrupt stopped (the thread's interrupt flag is consumed, as the solvers do): all or
     * nothing, so that a folder is never loaded in part with the files after the interrupt missing.
     */
    private static java.util.concurrent.CancellationException interrupted(Path dir, int done, int entries) {
        return new java.util.concurrent.CancellationException("loading " + dir + " was interrupted after " + done
                + " of its " + entries + " entries; nothing was loaded: call load again for the whole folder");
    }

    /** Loads {@code dir}, reporting skipped files on stderr. */
    public static FolderVideos load(Path dir, VideoSpec spec) throws IOException {
        return load(dir, spec, false);
    }

    /**
     * Loads every GIF and every frame folder directly inside {@code dir}.
     *
     * @throws IllegalArgumentException if {@code dir} is not a directory or no clip of F frames could be made
     * @throws java.util.concurrent.CancellationException if the thread is interrupted (checked before each file and
     *         folder; a read that the interrupt cut short is not taken for a bad file): nothing is loaded
     */
    public static FolderVideos load(Path dir, VideoSpec spec, boolean quiet) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            throw Refusals.refuse("dir", dir, "an existing directory");
        }
        Refusals.notNull(spec, "spec", "the clip shape, e.g. new VideoSpec(16, 1, 16, 16)");
        List<float[]> clips = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Path> entries = sorted(dir);
        for (int done = 0; done < entries.size(); done++) {
            Path p = entries.get(done);
            String name = p.getFileName().toString();
            if (Thread.interrupted()) {
                throw interrupted(dir, done, entries.size());
            }
            try {
                List<List<float[]>> runs;
                if (Files.isDirectory(p)) {
                    runs = readFrameFolder(p, spec, skipped);
                } else if (name.toLowerCase(Locale.ROOT).endsWith(".gif")) {
                    runs = List.of(gifPixels(p, spec));
                } else if (isImage(name)) {
                    skipped.add(name + ": a single image is not a video (put frames in a sub-folder)");
                    continue;
                } else {
                    if (!name.startsWith(".")) {
                        skipped.add(name + ": not a video (expected an animated .gif or a sub-folder of .png/.jpg frames)");
                    }
                    continue;
                }
                int made = 0, total = 0;
                for (List<float[]> run : runs) {
                    made += cut(run, spec, clips);
                    total += run.size();
                }
                for (int i = 0; i < made; i++) {
                    sources.add(name);
                }
                String gaps = runs.size() > 1 ? ", never across an unreadable frame" : "";
                if (made == 0) {
                    skipped.add(name + ": " + total + " readable frames, " + (runs.size() > 1 ? "no " + spec.frames()
                            + " consecutive ones (a clip never spans an unreadable frame)"
                            : "fewer than F = " + spec.frames()));
                } else if (total > made * spec.frames()) {
                    skipped.add(name + ": " + (total - made * spec.frames()) + " of " + total + " frames unused (clips are "
                            + spec.frames() + " consecutive frames" + gaps + ")");
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof java.nio.channels.ClosedByInterruptException || Thread.interrupted()) {
                    Thread.interrupted();
                    throw interrupted(dir, done, entries.size()); // not a bad file: the read was cut by the interrupt
                }
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

    /** Skipped files and unused frames, "name: reason" (see the class comment). */
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
        float[] data = Tensors.hostBatch(spec, batchSize);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < batchSize; b++) {
            fill(rng.nextInt(clips.size()), data, b * spec.clipSize());
        }
        return Tensors.owned(manager, data, new ai.djl.ndarray.types.Shape(spec.batchShape(batchSize)));
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = new ArrayList<>(s.toList());
            l.sort(Comparator.comparing((Path q) -> q.getFileName().toString(), FolderVideos::compareNatural)
                    .thenComparing(Comparator.naturalOrder()));
            return l;
        }
    }

    /**
     * Natural name order: runs of digits compare by their numeric value (leading zeros ignored), everything else
     * character by character; names equal in that order fall back to plain string order.
     */
    static int compareNatural(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i), cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = digitsEnd(a, i), ej = digitsEnd(b, j);
                String da = stripZeros(a.substring(i, ei)), db = stripZeros(b.substring(j, ej));
                int c = da.length() != db.length() ? Integer.compare(da.length(), db.length()) : da.compareTo(db);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static int digitsEnd(String s, int from) {
        int e = from;
        while (e < s.length() && Character.isDigit(s.charAt(e))) {
            e++;
        }
        return e;
    }

    private static String stripZeros(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        return digits.substring(k);
    }

    private static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** Most values ({@code frames x C x H x W}) the frames of one GIF may give: 2^27, 512 MB as floats. */
    static final long MAX_GIF_VALUES = 1L << 27;

    /**
     * The frames of a GIF, each resized to the spec's H x W ({@link #toPixels}) as soon as it is decoded, so that the
     * GIF takes the memory of its file, one frame at the screen's size and its frames at H x W, not of every frame at
     * the screen's size. A GIF whose frames would give more than {@link #MAX_GIF_VALUES} values is refused before it is
     * decoded; an interrupt stops the decoding at the next frame.
     */
    private static List<float[]> gifPixels(Path file, VideoSpec spec) throws IOException {
        List<float[]> out = new ArrayList<>();
        GifFrames.read(file, new GifDecoder.FrameSink() {
            @Override
            public void start(int frames, int width, int height) throws IOException {
                long most = MAX_GIF_VALUES / spec.frameSize();
                if (frames > most) {
                    throw new IOException(file + ": " + frames + " frames; allowed: at most " + most + " frames of "
                            + spec.channels() + " x " + spec.height() + " x " + spec.width() + " from one GIF (a limit of "
                            + MAX_GIF_VALUES + " values, frames x C x H x W): refused before decoding");
                }
            }

            @Override
            public void frame(BufferedImage canvas, int number) throws IOException {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IOException(file + ": interrupted at frame " + number); // the flag stays set for load
                }
                out.add(pixels(canvas, spec));
            }
        });
        return out;
    }

    private static float[] pixels(BufferedImage frame, VideoSpec spec) {
        float[] out = new float[spec.frameSize()];
        toPixels(frame, spec, out, 0);
        return out;
    }

    /**
     * The readable frames of a frame folder, resized to the spec's H x W as each is read (a folder of a few hundred
     * full-HD frames would not fit in memory at full size), as runs of consecutive frames: an unreadable frame ends a
     * run, so no clip is cut across it. Unreadable frames and other files are noted in {@code skipped}.
     */
    private static List<List<float[]>> readFrameFolder(Path folder, VideoSpec spec, List<String> skipped) throws IOException {
        List<List<float[]>> runs = new ArrayList<>();
        List<float[]> run = new ArrayList<>();
        runs.add(run);
        for (Path f : sorted(folder)) {
            String file = f.getFileName().toString();
            String name = folder.getFileName() + "/" + file;
            if (!isImage(file)) {
                if (!file.startsWith(".")) {
                    skipped.add(name + ": not a .png/.jpg frame");
                }
                continue;
            }
            BufferedImage img;
            try {
                img = readImage(f);
                if (img == null) {
                    skipped.add(name + ": not a readable image");
                }
            } catch (IOException | RuntimeException e) {
                for (Throwable c = e; c != null; c = c.getCause()) {
                    if (c instanceof OutOfMemoryError) { // the JDK's PNG reader reports it as a read error
                        OutOfMemoryError oom = new OutOfMemoryError("memory ran out while decoding " + name + " (a frame"
                                + " that may be fine, not a damaged one): give the JVM more memory (-Xmx) or use smaller"
                                + " frames");
                        oom.initCause(e);
                        throw oom;
                    }
                }
                skipped.add(name + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
                img = null;
            }
            if (img == null) {
                if (!run.isEmpty()) {
                    run = new ArrayList<>();
                    runs.add(run);
                }
                continue;
            }
            run.add(pixels(img, spec));
        }
        runs.removeIf(List::isEmpty);
        return runs;
    }

    /**
     * Reads one PNG/JPEG frame, checking the size its header claims before decoding (at most as many pixels as a GIF
     * frame may have); null if no reader knows the format.
     */
    private static BufferedImage readImage(Path f) throws IOException {
        // a pipe named 7.png would block the read until something writes into it, which an interrupt cannot stop
        tpdiff4j.schedule.AtomicFiles.requireFile(f, "a PNG or JPEG frame");
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

    /** Cuts frames (each {@link #toPixels} of one image) into clips of F, appends them, returns how many. */
    private static int cut(List<float[]> frames, VideoSpec spec, List<float[]> clips) {
        int n = frames.size() / spec.frames();
        for (int c = 0; c < n; c++) {
            float[] clip = new float[spec.clipSize()];
            for (int f = 0; f < spec.frames(); f++) {
                System.arraycopy(frames.get(c * spec.frames() + f), 0, clip, f * spec.frameSize(), spec.frameSize());
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
