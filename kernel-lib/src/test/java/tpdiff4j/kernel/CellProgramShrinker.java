package tpdiff4j.kernel;

import java.util.function.Predicate;

/**
 * Shrinks a failing {@link CellProgram}: drops whole cells, then single parts, as long as the program still fails,
 * so that a failure message shows a few lines instead of a generated page.
 */
final class CellProgramShrinker {

    private CellProgramShrinker() {
    }

    /**
     * @param failing  a program for which {@code fails} holds
     * @param fails    whether a program still fails (false for one that no longer makes sense, e.g. does not
     *                 compile as a single program)
     * @param attempts the most candidates to try
     * @return the smallest failing program found (one from which no cell or part can be dropped, unless the
     *         attempts ran out first)
     */
    static CellProgram shrink(CellProgram failing, Predicate<CellProgram> fails, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        CellProgram best = failing;
        int left = attempts;
        boolean smaller = true;
        while (smaller && left > 0) {
            smaller = false;
            for (int c = best.cells().size() - 1; c >= 0 && left > 0 && best.cells().size() > 1; c--) {
                CellProgram candidate = best.withoutCell(c);
                left--;
                if (fails.test(candidate)) {
                    best = candidate;
                    smaller = true;
                }
            }
            for (int c = best.cells().size() - 1; c >= 0 && left > 0; c--) {
                for (int p = best.cells().get(c).size() - 1; p >= 0 && left > 0 && best.size() > 1; p--) {
                    CellProgram candidate = best.withoutPart(c, p);
                    left--;
                    if (fails.test(candidate)) {
                        best = candidate;
                        smaller = true;
                        if (c >= best.cells().size()) { // the cell is gone with its last part
                            break;
                        }
                    }
                }
            }
        }
        return best;
    }
}
