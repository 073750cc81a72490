package tpdiff4j.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Javadoc of a tpdiff4j symbol, read from the library's sources, for the kernel's {@code inspect} (Shift-Tab).
 *
 * <p>JShell finds Javadoc only in the JDK's {@code src.zip}; the library's own documentation lives in its
 * sources, next to the jar: {@code kernel-lib/src/main/java} beside {@code kernel-lib/target}, or the folders
 * named by the system property {@code tpdiff4j.sources}. A symbol is given as JShell's signature, e.g.
 * {@code int tpdiff4j.kernel.Knobs.pick(int quick, int full)}; the summary is the first paragraph of the doc
 * comment right before the declaration (the whole description and the tags with {@code full}).
 */
final class JavadocSummary {

    private static final Pattern DOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static volatile List<Path> roots;

    private JavadocSummary() {
    }

    /** @return the documentation of the symbol in {@code signature}, when its source and doc comment exist */
    static Optional<String> of(String signature, boolean full) {
        String head = signature.contains("(") ? signature.substring(0, signature.indexOf('(')) : signature;
        String[] words = head.trim().split("\\s+");
        String qualified = qualify(words[words.length - 1]);
        if (!qualified.startsWith("tpdiff4j.")) {
            return Optional.empty();
        }
        String[] parts = qualified.split("\\.");
        for (int top = 2; top <= parts.length; top++) {
            Path file = sourceFile(parts, top);
            if (file == null) {
                continue;
            }
            String last = parts[parts.length - 1];
            boolean lastIsMember = parts.length > top && (signature.contains("(")
                    || Character.isLowerCase(last.charAt(0)) || last.equals(last.toUpperCase(java.util.Locale.ROOT)));
            String type = lastIsMember ? parts[parts.length - 2] : last;
            String member = lastIsMember ? last : null;
            return read(file).flatMap(src -> find(src, type, member)).map(doc -> clean(doc, full));
        }
        return Optional.empty();
    }

    /** JShell writes imported types by simple name ({@code Knobs.quick}); find their tpdiff4j package. */
    private static String qualify(String name) {
        if (name.startsWith("tpdiff4j.") || name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return name;
        }
        String type = name.split("\\.")[0];
        for (Path root : roots()) {
            Path base = root.resolve("tpdiff4j");
            try (java.util.stream.Stream<Path> pkgs = Files.list(base)) {
                Optional<Path> hit = pkgs.filter(d -> Files.isRegularFile(d.resolve(type + ".java"))).findFirst();
                if (hit.isPresent()) {
                    return "tpdiff4j." + hit.get().getFileName() + "." + name;
                }
            } catch (IOException e) {
                // this root has no tpdiff4j folder
            }
        }
        return name;
    }

    private static Path sourceFile(String[] parts, int topLevelEnd) {
        String rel = String.join("/", java.util.Arrays.copyOfRange(parts, 0, topLevelEnd)) + ".java";
        for (Path root : roots()) {
            Path f = root.resolve(rel);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @return the doc comment whose following declaration header declares {@code member} (or the type) */
    static Optional<String> find(String source, String type, String member) {
        Matcher m = DOC.matcher(source);
        Pattern decl = member == null
                ? Pattern.compile("\\b(class|interface|enum|record)\\s+" + Pattern.quote(type) + "\\b")
                : Pattern.compile("\\b" + Pattern.quote(member) + "\\s*(\\(|=|;)");
        while (m.find()) {
            int end = m.end();
            int stop = end;
            while (stop < source.length() && source.charAt(stop) != '{' && source.charAt(stop) != ';'
                    && !source.startsWith("/**", stop)) {
                stop++;
            }
            String header = source.substring(end, Math.min(source.length(), stop + 1))
                    .replaceAll("@\\w+(\\([^)]*\\))?", " ");
            if (decl.matcher(header).find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** @return the comment as text: stars, HTML and inline tags removed; first paragraph unless {@code full} */
    static String clean(String comment, boolean full) {
        List<String> lines = new ArrayList<>();
        for (String line : comment.split("\n")) {
            lines.add(line.replaceFirst("^\\s*\\*\\s?", ""));
        }
        String text = String.join("\n", lines).strip();
        int tags = indexOfTag(text);
        String description = tags < 0 ? text : text.substring(0, tags);
        String rest = tags < 0 ? "" : text.substring(tags);
        if (description.isBlank() && rest.startsWith("@return")) {
            int nextTag = indexOfTag(rest.substring(1));
            String ret = nextTag < 0 ? rest : rest.substring(0, nextTag + 1);
            description = "Returns " + ret.substring("@return".length()).strip();
        }
        if (!full) {
            int para = paragraphEnd(description);
            description = para < 0 ? description : description.substring(0, para);
        }
        String out = full ? description + (rest.isEmpty() ? "" : "\n" + rest) : description;
        out = out.replaceAll("\\{@(?:code|link|linkplain|literal|value)\\s+([^}]*)}", "$1")
                .replaceAll("</?(p|ul|ol|pre|em|b|i|tt|blockquote)>", "")
                .replaceAll("<li>", "- ").replaceAll("</li>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return out.strip();
    }

    private static int indexOfTag(String text) {
        Matcher m = Pattern.compile("(?m)^@\\w+").matcher(text);
        return m.find() ? m.start() : -1;
    }

    private static int paragraphEnd(String text) {
        Matcher m = Pattern.compile("\\n\\s*\\n|<p>").matcher(text);
        return m.find() ? m.start() : -1;
    }

    private static List<Path> roots() {
        List<Path> r = roots;
        if (r != null) {
            return r;
        }
        List<Path> found = new ArrayList<>();
        String prop = System.getProperty("tpdiff4j.sources");
        if (prop != null) {
            for (String p : prop.split(java.io.File.pathSeparator)) {
                found.add(Path.of(p));
            }
        }
        try {
            Path here = Path.of(JavadocSummary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // kernel-lib/target/kernel-lib.jar or kernel-lib/target/classes -> kernel-lib/src/main/java
            Path src = here.getParent().getParent().resolve("src/main/java");
            if (Files.isDirectory(src)) {
                found.add(src);
            }
        } catch (Exception e) {
            // no code source (unusual class loader): only tpdiff4j.sources is used
        }
        roots = List.copyOf(found);
        return roots;
    }
}
