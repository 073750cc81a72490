package tpdiff4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encodes frames as a looping animated GIF with ImageIO's GIF writer.
 *
 * <p>GIF holds 256 colours per frame. Grey frames use the 256 grey levels exactly; colour frames use one fixed
 * palette, a 6 x 7 x 6 RGB cube plus four greys, with 4 x 4 ordered (Bayer) dithering, so every frame maps to
 * the same colours and nothing flickers. Each frame carries a graphic control extension with the delay in
 * hundredths of a second; the first also carries the NETSCAPE2.0 extension (loop count 0 = forever, or play once).
 */
final class GifEncoder {

    private static final int[][] BAYER = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};
    private static final IndexColorModel GREY = grey();
    private static final IndexColorModel CUBE = cube();

    private GifEncoder() {}

    /**
     * @return the GIF bytes of {@code frames} (all the same size), {@code delayCs} hundredths of a second each, on the
     *     256-grey palette when {@code grey}, else on the dithered colour cube
     */
    static byte[] encode(List<BufferedImage> frames, int delayCs, boolean grey, boolean loop) {
        if (frames.isEmpty()) throw new IllegalArgumentException("frames = []; allowed: at least one frame (a GIF needs one)");
        BufferedImage first = frames.get(0);
        for (int i = 1; i < frames.size(); i++) {
            BufferedImage f = frames.get(i);
            if (f.getWidth() != first.getWidth() || f.getHeight() != first.getHeight()) {
                throw new IllegalArgumentException("frames: frame " + i + " is " + f.getWidth() + " x " + f.getHeight()
                        + " but frame 0 is " + first.getWidth() + " x " + first.getHeight()
                        + "; allowed: frames of one size, frame 0's (resize them first)");
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            writer.prepareWriteSequence(streamMetadata(writer, param, grey ? GREY : CUBE, frames.get(0)));
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage indexed = grey ? toGrey(frames.get(i)) : toCube(frames.get(i));
                // new ImageTypeSpecifier(image) keeps our palette; createFromRenderedImage would give the default
                // TYPE_BYTE_INDEXED palette (a 6x6x6 cube) as the local colour table, and wrong colours
                IIOMetadata meta = writer.getDefaultImageMetadata(new ImageTypeSpecifier(indexed), param);
                meta.setFromTree(meta.getNativeMetadataFormatName(), tree(meta, delayCs, i == 0, loop));
                writer.writeToSequence(new IIOImage(indexed, null, meta), param);
            }
            writer.endWriteSequence();
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("GIF encoding failed", e);
        } finally {
            writer.dispose();
        }
    }

    /** Stream metadata whose global colour table is {@code palette} (without it the writer uses a default one). */
    private static IIOMetadata streamMetadata(ImageWriter writer, ImageWriteParam param, IndexColorModel palette,
                                              BufferedImage first) throws IOException {
        IIOMetadata meta = writer.getDefaultStreamMetadata(param);
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = new IIOMetadataNode(format);
        IIOMetadataNode screen = new IIOMetadataNode("LogicalScreenDescriptor");
        screen.setAttribute("logicalScreenWidth", Integer.toString(first.getWidth()));
        screen.setAttribute("logicalScreenHeight", Integer.toString(first.getHeight()));
        screen.setAttribute("colorResolution", "8");
        screen.setAttribute("pixelAspectRatio", "0");
        root.appendChild(screen);
        IIOMetadataNode table = new IIOMetadataNode("GlobalColorTable");
        table.setAttribute("sizeOfGlobalColorTable", "256");
        table.setAttribute("backgroundColorIndex", "0");
        table.setAttribute("sortFlag", "FALSE");
        for (int i = 0; i < 256; i++) {
            IIOMetadataNode e = new IIOMetadataNode("ColorTableEntry");
            e.setAttribute("index", Integer.toString(i));
            e.setAttribute("red", Integer.toString(palette.getRed(i)));
            e.setAttribute("green", Integer.toString(palette.getGreen(i)));
            e.setAttribute("blue", Integer.toString(palette.getBlue(i)));
            table.appendChild(e);
        }
        root.appendChild(table);
        meta.mergeTree(format, root);
        return meta;
    }

    private static IIOMetadataNode tree(IIOMetadata meta, int delayCs, boolean first, boolean loop) throws IOException {
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(meta.getNativeMetadataFormatName());
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, (byte) (loop ? 0 : 1), 0});
            apps.appendChild(app);
        }
        return root;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static BufferedImage toGrey(BufferedImage rgb) {
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, GREY);
        WritableRaster r = out.getRaster();
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int p = rgb.getRGB(x, y);
                r.setSample(x, y, 0, (((p >> 16) & 255) * 77 + ((p >> 8) & 255) * 150 + (p & 255) * 29 + 128) >> 8);
            }
        }
        return out;
    }

    private static BufferedImage toCube(BufferedImage rgb) {
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, CUBE);
        WritableRaster r = out.getRaster();
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int p = rgb.getRGB(x, y);
                double d = (BAYER[y & 3][x & 3] + 0.5) / 16 - 0.5;
                int ri = level((p >> 16) & 255, 6, d), gi = level((p >> 8) & 255, 7, d), bi = level(p & 255, 6, d);
                r.setSample(x, y, 0, (ri * 7 + gi) * 6 + bi);
            }
        }
        return out;
    }

    /** @return the dithered level 0..n-1 of byte v on n equally spaced levels */
    private static int level(int v, int n, double dither) {
        return (int) Math.max(0, Math.min(n - 1, Math.round(v / 255.0 * (n - 1) + dither)));
    }

    private static IndexColorModel grey() {
        byte[] v = new byte[256];
        for (int i = 0; i < 256; i++) v[i] = (byte) i;
        return new IndexColorModel(8, 256, v, v, v);
    }

    private static IndexColorModel cube() {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        int i = 0;
        for (int ri = 0; ri < 6; ri++) {
            for (int gi = 0; gi < 7; gi++) {
                for (int bi = 0; bi < 6; bi++, i++) {
                    r[i] = (byte) Math.round(ri * 255.0 / 5);
                    g[i] = (byte) Math.round(gi * 255.0 / 6);
                    b[i] = (byte) Math.round(bi * 255.0 / 5);
                }
            }
        }
        for (int k = 1; i < 256; k++, i++) r[i] = g[i] = b[i] = (byte) (k * 51);
        return new IndexColorModel(8, 256, r, g, b);
    }
}
