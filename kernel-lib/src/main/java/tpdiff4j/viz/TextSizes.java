package tpdiff4j.viz;

import java.awt.Font;

/**
 * Text sizes of every figure, in pixels, shared by the Plotly JSON and the PNG so that the page and its printout
 * read alike. A figure is read beside the notebook's prose, which Jupyter sets at 14 px: whoever reads the prose from
 * the back of a lecture hall, or in a printed handout, can read the figure's smallest text too. plotly.js's default of
 * 12 px (and XChart's 11 to 12) is the first text to blur on a projector. Ticks, legend and notes take the prose's
 * size, axis and panel titles a step more, as headings do, and the figure title more again.
 */
final class TextSizes {

    /** Tick labels, legend entries and notes: the size of the notebook's prose. */
    static final int TEXT_PX = 14;
    /** Axis titles and the title of each panel of a grid. */
    static final int TITLE_PX = 16;
    /** The figure's title. */
    static final int FIGURE_TITLE_PX = 20;

    private TextSizes() {}

    static Font text() { return new Font(Font.SANS_SERIF, Font.PLAIN, TEXT_PX); }

    static Font title() { return new Font(Font.SANS_SERIF, Font.BOLD, TITLE_PX); }

    static Font figureTitle() { return new Font(Font.SANS_SERIF, Font.BOLD, FIGURE_TITLE_PX); }
}
