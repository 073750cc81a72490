package tpdiff4j.viz;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import tpdiff4j.Refusals;

/** PNG encoding and small image helpers for the MIME bundles. */
final class Images {

    private Images() {}

    /** @return {@code image} encoded as PNG */
    static byte[] png(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer in ImageIO");
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the bytes of {@code content} (made only once {@code file} is known to be usable) to {@code file} (a
     * figure's PNG or HTML, a video's GIF) with {@link tpdiff4j.schedule.AtomicFiles}, creating its missing parent
     * folders: a notebook runs in its own folder, so {@code Path.of("build/cost.png")} there means a new {@code build}
     * folder beside the notebook. The old file stays whole when the write fails, and an interrupt during the write
     * is deferred (the flag is set again after).
     *
     * @param format     the content's format in words, for the message (for example "an animated GIF")
     * @param extensions the file name endings allowed for it, lower case with the dot (for example ".gif")
     * @return {@code file}
     * @throws IllegalArgumentException if {@code file} is null, an existing folder, or its name does not end in one
     *                                  of {@code extensions} (any case): a viewer goes by the name, so a GIF named
     *                                  {@code .png} would not open as one
     * @throws UncheckedIOException if the file cannot be written, naming its absolute path
     */
    static Path save(Path file, Supplier<byte[]> content, String format, String... extensions) {
        Refusals.notNull(file, "file", "a path to write, e.g. Path.of(\"figure" + extensions[0] + "\")");
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("file = " + file + " is a folder (" + absolute + "); allowed: a file path "
                    + "inside it, e.g. " + file.resolve("figure" + extensions[0]));
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (java.util.Arrays.stream(extensions).noneMatch(name.toLowerCase(java.util.Locale.ROOT)::endsWith)) {
            String stem = name.lastIndexOf('.') > 0 ? name.substring(0, name.lastIndexOf('.')) : name;
            throw Refusals.refuse("file", file,
                    "a name ending in " + String.join(" or ", extensions) + ", since this writes " + format
                    + " (a viewer goes by the name); for example "
                    + file.resolveSibling((stem.isEmpty() ? "figure" : stem) + extensions[0]));
        }
        try {
            return tpdiff4j.schedule.AtomicFiles.write(file, keepingInterrupt(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Runs {@code draw} and sets the thread's interrupt flag again if it was set before and {@code draw} cleared it:
     * the first text drawn in a JVM loads its fonts, and that loading clears a pending interrupt (a notebook's
     * Kernel → Interrupt during training), so the code after a figure would no longer see the interrupt.
     */
    static <T> T keepingInterrupt(Supplier<T> draw) {
        boolean interrupted = Thread.currentThread().isInterrupted();
        try {
            return draw.get();
        } finally {
            if (interrupted && !Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return {@code image} as base64 PNG, the form a MIME bundle carries */
    static String base64Png(BufferedImage image) {
        return Base64.getEncoder().encodeToString(png(image));
    }

    /** @return a white RGB image of the given size and its antialiased graphics (caller disposes) */
    static BufferedImage blank(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /** @return graphics of {@code img} with antialiased text and shapes */
    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }
}
