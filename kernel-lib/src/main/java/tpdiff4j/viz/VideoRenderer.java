package tpdiff4j.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link Video} board: the animation frames of its GIF and its frame-strip image.
 *
 * <p>Timeline: a board has T = max F_i time steps. In a grid, clip i shows frame {@code min(j, F_i - 1)} at step
 * j (a shorter clip holds its last frame). Stage by stage, clip i shows frame {@code floor(j * F_i / T)}: every
 * clip is stretched onto the full-rate time axis, so a stage with F/2 frames shows each frame for two steps.
 * In the strip, a stage's frame i sits in column {@code floor(i * T / F_i)}, the full-rate step where it begins.
 */
final class VideoRenderer {

    static final int GAP = 2;
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private VideoRenderer() {}

    /** @return the T animation frames: clips tiled in {@code cols} columns, label above each clip */
    static List<BufferedImage> animation(Video v) {
        int n = v.clips.size(), cols = v.stages ? 1 : Math.min(v.cols, n), rows = (n + cols - 1) / cols;
        int gap = n == 1 && !v.hasLabels() ? 0 : GAP;
        int cw = v.cellWidth(), ch = v.cellHeight(), head = v.hasLabels() && !v.stages ? 15 : 0;
        int left = v.stages ? labelWidth(v) + gap : 0;
        int w = left + cols * cw + (cols + 1) * gap, h = rows * (ch + head) + (rows + 1) * gap;
        List<BufferedImage> out = new ArrayList<>();
        for (int j = 0; j < v.steps(); j++) {
            BufferedImage img = Images.blank(w, h);
            Graphics2D g = Images.graphics(img);
            for (int i = 0; i < n; i++) {
                int x = left + gap + (i % cols) * (cw + gap), y = gap + (i / cols) * (ch + head + gap);
                float[][][][] clip = v.clips.get(i);
                g.drawImage(Frames.image(clip[v.frameAt(i, j)], v.scale), x, y + head, null);
                String label = v.labels.get(i);
                if (label != null && !v.stages) text(g, label, x, y + 11, labelSpan(v, i, cols, cw));
                if (label != null && v.stages) text(g, label, gap, y + ch / 2 + 4, labelWidth(v));
            }
            g.dispose();
            out.add(img);
        }
        return out;
    }

    /** @return all frames side by side, one row per clip, aligned on the full-rate time axis for stages */
    static BufferedImage strip(Video v) {
        int n = v.clips.size(), t = v.steps();
        int left = v.hasLabels() ? labelWidth(v) + GAP : 0, head = v.title != null ? 18 : 0;
        int scale = stripScale(v, left);
        int cw = v.cellWidth(scale), ch = v.cellHeight(scale);
        BufferedImage img = Images.blank(left + GAP + t * (cw + GAP), head + GAP + n * (ch + GAP));
        Graphics2D g = Images.graphics(img);
        if (v.title != null) text(g, v.title, GAP, 13, img.getWidth());
        for (int i = 0; i < n; i++) {
            float[][][][] clip = v.clips.get(i);
            int y = head + GAP + i * (ch + GAP);
            for (int f = 0; f < clip.length; f++) {
                int col = v.stages ? (int) ((long) f * t / clip.length) : f;
                g.drawImage(Frames.image(clip[f], scale), left + GAP + col * (cw + GAP), y, null);
            }
            if (v.labels.get(i) != null) text(g, v.labels.get(i), GAP, y + ch / 2 + 4, labelWidth(v));
        }
        g.dispose();
        return img;
    }

    /**
     * The strip's pixel blocks: the video's scale when {@link Video#scale(int)} chose it, else the largest one up to the
     * default whose strip fits {@link Figure#NOTEBOOK_WIDTH_PX} (at least 1).
     */
    static int stripScale(Video v, int left) {
        if (v.scaleChosen) return v.scale;
        int s = v.scale;
        while (s > 1 && left + GAP + v.steps() * (v.cellWidth(s) + GAP) > Figure.NOTEBOOK_WIDTH_PX) s--;
        return s;
    }

    private static int labelWidth(Video v) {
        return v.hasLabels() ? 110 : 0;
    }

    /**
     * Pixels the label above clip {@code i} of a grid may take: its clip's width, and the width of the clips after it
     * in its row that have no label of their own (an arm's name over its row of samples, "" above the others).
     */
    static int labelSpan(Video v, int i, int cols, int cw) {
        int span = cw;
        for (int k = i + 1; k < v.clips.size() && k % cols != 0; k++) {
            String next = v.labels.get(k);
            if (next != null && !next.isEmpty()) break;
            span += GAP + cw;
        }
        return span;
    }

    /** Draws {@code s} in black at (x, y), cut with an ellipsis to {@code maxWidth} pixels. */
    private static void text(Graphics2D g, String s, int x, int y, int maxWidth) {
        g.setFont(LABEL);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t) > maxWidth) t = t.substring(0, t.length() - 2) + "…";
        g.drawString(t, x, y);
    }
}
