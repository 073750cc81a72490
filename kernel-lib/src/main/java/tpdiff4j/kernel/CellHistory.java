package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

/**
 * The inputs (and plain-text outputs) of this kernel session, for Jupyter's {@code history_request}: tail, range and
 * glob search. Session number is 1 (the current session); cell numbers are execution counts.
 */
public final class CellHistory implements HistoryManager {

    /** Session number of the running kernel. */
    public static final int SESSION = 1;

    private record Cell(int number, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    /** Records an executed cell. */
    public synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output));
    }

    private static HistoryEntry entry(Cell c, Set<ResultFlag> flags) {
        String out = flags.contains(ResultFlag.INCLUDE_OUTPUT) ? (c.output == null ? "" : c.output) : null;
        return new HistoryEntry(SESSION, c.number, c.input, out);
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = Math.max(0, cells.size() - Math.max(0, length));
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : cells.subList(from, cells.size())) {
            out.add(entry(c, flags));
        }
        return out;
    }

    /**
     * The cells numbered from {@code start} up to {@code stop} (exclusive), as IPython's range. A {@code stop} of 0 runs
     * to the last cell: that is how IPython's {@code stop: null} (to the end of the session) and a request without a
     * stop arrive, and no range that ends before cell 1 holds a cell anyway.
     */
    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        if (session != SESSION && session != 0) {
            return out;
        }
        for (Cell c : cells) {
            if (c.number >= start && (stop == 0 || c.number < stop)) {
                out.add(entry(c, flags));
            }
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String glob, int length, Set<ResultFlag> flags) {
        Pattern p = Pattern.compile(globToRegex(glob == null ? "*" : glob), Pattern.DOTALL);
        List<Cell> hits = new ArrayList<>();
        Set<String> inputs = new LinkedHashSet<>();
        for (int i = cells.size() - 1; i >= 0; i--) {
            Cell c = cells.get(i);
            if (p.matcher(c.input).matches()
                    && (!flags.contains(ResultFlag.UNIQUE) || inputs.add(c.input))) {
                hits.add(0, c);
            }
        }
        int from = length > 0 ? Math.max(0, hits.size() - length) : 0;
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : hits.subList(from, hits.size())) {
            out.add(entry(c, flags));
        }
        return out;
    }

    private static String globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*') {
                b.append(".*");
            } else if (ch == '?') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return b.toString();
    }
}
