package tpdiff4j.data;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * Reads every frame of an animated GIF as a full-size image. GIF frames may be sub-rectangles drawn at an offset
 * over the previous frame; each frame is composited onto a canvas of the logical screen size, honouring the
 * "restoreToBackgroundColor" disposal (the frame's rectangle is cleared after it is shown). {@link #write} makes
 * an animated GIF (Netscape looping extension, per-frame delay) with the JDK's GIF writer.
 */
public final class GifFrames {

    private GifFrames() {
    }

    /**
     * @return the frames in display order
     * @throws IOException if the file is not a readable GIF or holds no frame
     */
    public static List<BufferedImage> read(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot open " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, false);
                int n = reader.getNumImages(true);
                if (n < 1) {
                    throw new IOException("no frame in " + file.getFileName());
                }
                int width = 0, height = 0;
                IIOMetadata stream = reader.getStreamMetadata();
                Node screen = stream == null ? null : child(stream.getAsTree("javax_imageio_gif_stream_1.0"), "LogicalScreenDescriptor");
                if (screen != null) {
                    width = intAttr(screen, "logicalScreenWidth", 0);
                    height = intAttr(screen, "logicalScreenHeight", 0);
                }
                List<BufferedImage> frames = new ArrayList<>(n);
                BufferedImage canvas = null;
                for (int i = 0; i < n; i++) {
                    BufferedImage img = reader.read(i);
                    Node tree = reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                    Node desc = child(tree, "ImageDescriptor");
                    Node ctrl = child(tree, "GraphicControlExtension");
                    int left = desc == null ? 0 : intAttr(desc, "imageLeftPosition", 0);
                    int top = desc == null ? 0 : intAttr(desc, "imageTopPosition", 0);
                    if (canvas == null) {
                        canvas = new BufferedImage(Math.max(width, left + img.getWidth()),
                                Math.max(height, top + img.getHeight()), BufferedImage.TYPE_INT_ARGB);
                    }
                    Graphics2D g = canvas.createGraphics();
                    g.drawImage(img, left, top, null);
                    g.dispose();
                    frames.add(copy(canvas));
                    String disposal = ctrl == null ? "none" : ctrl.getAttributes().getNamedItem("disposalMethod").getNodeValue();
                    if ("restoreToBackgroundColor".equals(disposal)) {
                        Graphics2D c = canvas.createGraphics();
                        c.setComposite(java.awt.AlphaComposite.Clear);
                        c.fillRect(left, top, img.getWidth(), img.getHeight());
                        c.dispose();
                    }
                }
                return frames;
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Encodes frames as an animated GIF.
     *
     * @param frames  frames in display order, all of one size
     * @param delayMs delay per frame in milliseconds (stored in hundredths of a second, at least 1)
     * @param loop    true: loop forever; false: play once
     */
    public static byte[] write(List<BufferedImage> frames, int delayMs, boolean loop) throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("frames: need at least one frame");
        }
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs = " + delayMs + ": must be >= 0");
        }
        return write(frames, delayMs, loop, allGrey(frames));
    }

    /**
     * Encodes frames as an animated GIF on a chosen palette.
     *
     * @param grey true: the exact 256-grey palette (colour is dropped); false: a fixed dithered colour cube, the same
     *             for every frame so nothing flickers
     */
    public static byte[] write(List<BufferedImage> frames, int delayMs, boolean loop, boolean grey) throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("frames: need at least one frame");
        }
        if (delayMs < 0) {
            throw new IllegalArgumentException("delayMs = " + delayMs + ": must be >= 0");
        }
        try {
            return GifEncoder.encode(frames, Math.max(1, Math.round(delayMs / 10f)), grey, loop);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** True when every pixel has r = g = b: such frames are written on the exact 256-grey palette. */
    private static boolean allGrey(List<BufferedImage> frames) {
        for (BufferedImage f : frames) {
            for (int y = 0; y < f.getHeight(); y++) {
                for (int x = 0; x < f.getWidth(); x++) {
                    int p = f.getRGB(x, y);
                    int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
                    if (r != g || g != b) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static BufferedImage copy(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    private static Node child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) {
                return n;
            }
        }
        return null;
    }

    private static int intAttr(Node node, String name, int dflt) {
        Node a = node.getAttributes().getNamedItem(name);
        return a == null ? dflt : Integer.parseInt(a.getNodeValue());
    }
}
