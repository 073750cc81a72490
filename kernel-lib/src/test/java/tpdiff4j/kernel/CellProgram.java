package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A program written twice: as notebook cells, and as one Java class that javac compiles, with the same meaning.
 *
 * <p>Each part of a cell has its notebook text and its single-program form: imports (top of the file), a member of
 * the class (a field for a variable, a static method, a nested record or class) and a statement of {@code main}.
 * A name declared again in a later cell (a variable with another type, a method with another body or return type)
 * gets a new versioned name in the single program ({@code total__2}), so each use there names the declaration that
 * a notebook user expects at that point: the latest one run.
 *
 * @param seed  the generator's seed, for the failure message
 * @param cells the cells in the order they run, each a list of parts
 */
record CellProgram(long seed, List<List<Part>> cells) {

    /**
     * One declaration or statement of a cell.
     *
     * @param cell      its text in the notebook cell
     * @param imports   its import lines in the single program (empty when none)
     * @param member    its member of the single program's class (empty when none)
     * @param statement its statement in the single program's {@code main} (empty when none)
     */
    record Part(String cell, String imports, String member, String statement) {
    }

    /** @return the text of each cell, its parts one after the other on their own lines */
    List<String> cellTexts() {
        return cells.stream().map(c -> c.stream().map(Part::cell).collect(Collectors.joining("\n")))
                .collect(Collectors.toList());
    }

    /** @return the single program as the source of a class {@code name} in the default package */
    String javaSource(String name, List<String> preloadImports) {
        StringBuilder sb = new StringBuilder();
        preloadImports.forEach(i -> sb.append(i).append('\n'));
        cells.forEach(c -> c.stream().filter(p -> !p.imports().isEmpty()).forEach(p -> sb.append(p.imports())
                .append('\n')));
        sb.append("public class ").append(name).append(" {\n");
        cells.forEach(c -> c.stream().filter(p -> !p.member().isEmpty()).forEach(p -> sb.append(p.member())
                .append('\n')));
        sb.append("public static void main(String[] args) {\n");
        cells.forEach(c -> c.stream().filter(p -> !p.statement().isEmpty()).forEach(p -> sb.append(p.statement())
                .append('\n')));
        return sb.append("}\n}\n").toString();
    }

    /** @return the number of parts in all cells */
    int size() {
        return cells.stream().mapToInt(List::size).sum();
    }

    /** @return this program without cell {@code c} */
    CellProgram withoutCell(int c) {
        List<List<Part>> out = new ArrayList<>(cells);
        out.remove(c);
        return new CellProgram(seed, out);
    }

    /** @return this program without part {@code p} of cell {@code c} (and without that cell once it is empty) */
    CellProgram withoutPart(int c, int p) {
        List<List<Part>> out = new ArrayList<>(cells);
        List<Part> cell = new ArrayList<>(out.get(c));
        cell.remove(p);
        if (cell.isEmpty()) {
            out.remove(c);
        } else {
            out.set(c, cell);
        }
        return new CellProgram(seed, out);
    }

    /** @return the program as its cells, each under a "--- cell N" line */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("program of seed " + seed + ":\n");
        List<String> texts = cellTexts();
        for (int i = 0; i < texts.size(); i++) {
            sb.append("--- cell ").append(i + 1).append('\n').append(texts.get(i)).append('\n');
        }
        return sb.toString();
    }
}
