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
 * The Javadoc of a symbol, read from sources, for the kernel's {@code inspect} (Shift-Tab).
 *
 * <p>Sources are looked up in: the library's own ({@code kernel-lib/src/main/java} beside {@code kernel-lib/target},
 * or the folders named by the system property {@code tpdiff4j.sources}); the JDK's {@code src.zip}
 * ({@code $JAVA_HOME/lib/src.zip}, or the file named by {@code tpdiff4j.jdk.sources}, which
 * {@code environment/setup} extracts from Debian's {@code openjdk-17-source}); and the {@code -sources.jar} next to
 * any jar on the class path or added later ({@link #addSourcesOf}). A symbol is given as JShell's signature, e.g.
 * {@code int Math.max(int a, int b)} or {@code int tpdiff4j.kernel.Knobs.pick(int quick, int full)}; simple type
 * names are looked up in {@code java.lang} and the packages of {@code imports}. The summary is the first sentence of
 * the doc comment right before the declaration (for a method, the first one with as many parameters), the whole
 * description and the tags with {@code full}. A source file over {@link #MAX_SOURCE_BYTES} is not read (an entry of a
 * jar can unpack to gigabytes): the help then says so in place of the documentation.
 */
final class JavadocSummary {

    private static final Pattern DOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    /**
     * A period, ! or ? followed by white space, where the first sentence ends; not the period of an abbreviation
     * ("e.g.", "i.e.", "cf.", "vs.", "et al.", "Eq.", "Eqs.", "Fig.", "Sec.", "Ref.", and any dotted one such as
     * "i.i.d."), not the last of an ellipsis ("t_1 &lt; ... &lt; t_K"), and not one followed by a number, as in
     * "(TPDiff v1 Eq. 12)" (a sentence that starts with a digit is rarer). Periods inside an inline tag
     * ({@code {@code ...}}) never end it either: {@link #sentenceEnd} skips those.
     */
    private static final Pattern SENTENCE_END = Pattern.compile(
            "(?<!\\bcf|\\bvs|\\bal|\\bEqs?|\\bFig|\\bSec|\\bRef|\\.\\p{L}|\\.)[.!?](?=\\s)(?!\\s+\\d)");
    private static volatile List<Path> roots;

    private JavadocSummary() {
    }

    /** @return the documentation of the symbol in {@code signature}, when its source and doc comment exist */
    static Optional<String> of(String signature, boolean full) {
        return of(signature, full, List.of());
    }

    /**
     * @param imports packages whose types a signature may name by simple name (besides java.lang and the tpdiff4j
     *                packages), e.g. {@code java.util}
     * @return the documentation of the symbol in {@code signature}, when its source and doc comment exist
     */
    static Optional<String> of(String signature, boolean full, List<String> imports) {
        String plain = signature;
        for (String prev = null; !plain.equals(prev); ) {
            prev = plain;
            plain = plain.replaceAll("<[^<>]*>", "");
        }
        int paren = plain.indexOf('(');
        String head = paren >= 0 ? plain.substring(0, paren) : plain;
        String[] words = head.trim().split("\\s+");
        String name = words[words.length - 1];
        List<String> params = paren < 0 ? null
                : parameterTypes(plain.substring(paren + 1, Math.max(paren + 1, plain.lastIndexOf(')'))));
        boolean constructor = paren >= 0 && !name.contains(".");
        String qualified = qualify(name, imports);
        String[] parts = qualified.split("\\.");
        for (int top = 1; top <= parts.length; top++) {
            Path file = sourceFile(parts, top);
            if (file == null) {
                continue;
            }
            String last = parts[parts.length - 1];
            boolean lastIsMember = parts.length > top && (paren >= 0
                    || Character.isLowerCase(last.charAt(0)) || last.equals(last.toUpperCase(java.util.Locale.ROOT)));
            String type = lastIsMember ? parts[parts.length - 2] : last;
            String member = constructor ? last : lastIsMember ? last : null;
            Optional<String> src;
            try {
                src = read(file);
            } catch (SourceTooLarge e) {
                return Optional.of(e.getMessage());
            }
            Optional<String> doc = src.flatMap(s -> find(s, type, member, params, false)).map(d -> clean(d, full));
            if (doc.isEmpty() && member != null && params != null && params.isEmpty()) {
                // a record's accessor without a comment of its own: its component's @param, rather than the comment
                // of another method of the same name (TimedInTurn.seconds() beside seconds(int work))
                doc = src.flatMap(s -> recordComponent(s, type, member));
            }
            if (doc.isEmpty()) {
                doc = src.flatMap(s -> find(s, type, member, params)).map(d -> clean(d, full));
            }
            if ((doc.isEmpty() || doc.get().isBlank()) && lastIsMember && !constructor) {
                // a method that overrides without a comment of its own has the comment it overrides, as in javadoc
                // (SpriteVideos.spec() is documented where VideoDataset declares it)
                String owner = String.join(".", java.util.Arrays.copyOfRange(parts, 0, top))
                        + java.util.Arrays.stream(parts, top, parts.length - 1).map(n -> "$" + n)
                        .collect(java.util.stream.Collectors.joining());
                Optional<String> inherited = inherited(signature, name, owner, last, full, imports);
                if (inherited.isPresent()) {
                    return inherited;
                }
            }
            return doc;
        }
        return Optional.empty();
    }

    /**
     * @param signature the signature as JShell shows it
     * @param name      the member's name in it, with the type it was looked up in ({@code a.b.Type.member})
     * @param owner     the binary name of that type
     * @param member    the member's simple name
     * @return the documentation of the same member in the supertypes of {@code owner}, nearest first
     */
    private static Optional<String> inherited(String signature, String name, String owner, String member, boolean full,
            List<String> imports) {
        Class<?> type;
        try {
            type = Class.forName(owner, false, JavadocSummary.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        if (!signature.contains(name)) {
            return Optional.empty();
        }
        List<Class<?>> supers = new ArrayList<>();
        if (type.getSuperclass() != null) {
            supers.add(type.getSuperclass());
        }
        supers.addAll(List.of(type.getInterfaces()));
        for (Class<?> sup : supers) {
            if (sup == Object.class || sup == Record.class || sup == Enum.class || sup.getCanonicalName() == null) {
                continue;
            }
            Optional<String> doc = of(signature.replace(name, sup.getCanonicalName() + "." + member), full, imports);
            if (doc.isPresent() && !doc.get().isBlank()) {
                return doc;
            }
        }
        return Optional.empty();
    }

    /**
     * @param params a parameter list without generics, with or without names: {@code int a, java.util.Map b} or
     *               {@code int, Map}
     * @return the simple type names, e.g. {@code [int, Map]}; varargs as {@code T...}, arrays as {@code T[]} (also
     *         when written after the name, {@code char data[]})
     */
    static List<String> parameterTypes(String params) {
        List<String> out = new ArrayList<>();
        if (params.isBlank()) {
            return out;
        }
        for (String p : params.split(",")) {
            String t = p.replaceAll("@\\w+(\\([^)]*\\))?", " ").replaceAll("\\bfinal\\b", " ")
                    .replaceAll("\\s*(\\[\\s*]|\\.\\.\\.)", "$1").strip();
            String[] words = t.split("\\s+");
            String last = words[words.length - 1];
            boolean named = words.length > 1 && Character.isJavaIdentifierStart(last.charAt(0));
            // the old C style puts an array's brackets after the name: char data[] is a char[]
            String dims = named ? last.substring(last.indexOf('[') < 0 ? last.length() : last.indexOf('[')) : "";
            String type = named ? String.join("", java.util.Arrays.copyOf(words, words.length - 1)) + dims
                    : String.join("", words);
            out.add(type.substring(type.lastIndexOf('.', type.endsWith("...") ? type.length() - 4
                    : type.length() - 1) + 1));
        }
        return out;
    }

    /** Adds the {@code -sources.jar} next to {@code jar}, when there is one, to the places sources are read from. */
    static void addSourcesOf(Path jar) {
        String n = jar.getFileName().toString();
        if (!n.endsWith(".jar") || n.endsWith("-sources.jar")) {
            return;
        }
        Path src = jar.resolveSibling(n.substring(0, n.length() - 4) + "-sources.jar");
        if (Files.isRegularFile(src)) {
            List<Path> r = new ArrayList<>(roots());
            r.addAll(zipRoots(src, false));
            roots = List.copyOf(r);
        }
    }

    /**
     * JShell writes the types of java.lang and of imported packages by simple name ({@code Math.max},
     * {@code Knobs.quick}): find the package, trying java.lang, {@code imports}, then the tpdiff4j packages.
     */
    private static String qualify(String name, List<String> imports) {
        if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return name;
        }
        String type = name.split("\\.")[0];
        List<String> packages = new ArrayList<>();
        packages.add("java.lang");
        packages.addAll(imports);
        for (String p : Preload.PACKAGES) {
            packages.add("tpdiff4j." + p);
        }
        packages.add("tpdiff4j.kernel");
        for (String p : packages) {
            if (sourceFile((p + "." + type).split("\\."), p.split("\\.").length + 1) != null) {
                return p + "." + name;
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

    /**
     * The most bytes of one source file that help reads (the largest file of the JDK's sources is under 1 MB): an
     * entry of a {@code -sources.jar} can unpack to any size, whatever the jar's own size or the size it declares.
     */
    static final int MAX_SOURCE_BYTES = 8 << 20;

    /** A source file over {@link #MAX_SOURCE_BYTES}; its message is the help's text in place of the documentation. */
    private static final class SourceTooLarge extends Exception {
        SourceTooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @return the file's text (UTF-8), or empty when it cannot be read
     * @throws SourceTooLarge when it holds more than {@link #MAX_SOURCE_BYTES} bytes: only that many and one more are
     *                        read
     */
    private static Optional<String> read(Path file) throws SourceTooLarge {
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SOURCE_BYTES + 1);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (bytes.length > MAX_SOURCE_BYTES) {
            String where = file.getFileSystem() == java.nio.file.FileSystems.getDefault() ? file.toString()
                    : file.toUri().toString();
            throw new SourceTooLarge("(documentation not shown: the source " + where + " is larger than the limit of "
                    + MAX_SOURCE_BYTES + " bytes per source file, so it was not read)");
        }
        try {
            return Optional.of(java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty(); // not UTF-8: no documentation, as for a file that cannot be read
        }
    }

    /** @return the doc comment whose following declaration header declares {@code member} (or the type) */
    static Optional<String> find(String source, String type, String member) {
        return find(source, type, member, null);
    }

    /**
     * @param params for a method or constructor, the simple parameter types wanted (null: any); failing an exact
     *               match, the first declaration with as many parameters, then the first with the name, is taken
     * @return the doc comment whose following declaration header declares {@code member} (or the type)
     */
    static Optional<String> find(String source, String type, String member, List<String> params) {
        return find(source, type, member, params, true);
    }

    /**
     * @param anyOverload whether a declaration of the name with another number of parameters may be taken, failing
     *                    those with as many
     */
    private static Optional<String> find(String source, String type, String member, List<String> params,
            boolean anyOverload) {
        Optional<String> any = Optional.empty();
        Optional<String> sameArity = Optional.empty();
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
            Matcher d = decl.matcher(header);
            if (d.find()) {
                List<String> declared = member == null ? null : headerParameters(header, d.end());
                if (params == null || member == null || params.equals(declared)) {
                    return Optional.of(m.group(1));
                }
                if (declared != null && declared.size() == params.size() && sameArity.isEmpty()) {
                    sameArity = Optional.of(m.group(1));
                }
                any = any.isPresent() ? any : Optional.of(m.group(1));
            }
        }
        return sameArity.isPresent() || !anyOverload ? sameArity : any;
    }

    /**
     * The accessor of a record component has no comment of its own in most sources: its documentation is the
     * {@code @param} of the component in the record's comment ({@code Stage.start()}: "the noisier end of the window").
     *
     * @return the text of {@code @param member} in the comment of the record {@code type}, when there is one
     */
    static Optional<String> recordComponent(String source, String type, String member) {
        Optional<String> recordDoc = find(source, type, null, null);
        if (recordDoc.isEmpty() || !Pattern.compile("\\brecord\\s+" + Pattern.quote(type) + "\\b").matcher(source)
                .find()) {
            return Optional.empty();
        }
        String text = clean(recordDoc.get(), true);
        Matcher m = Pattern.compile("(?m)^@param\\s+" + Pattern.quote(member) + "\\s+((?s:.*?))(?=^@\\w+|\\z)")
                .matcher(text);
        return m.find() ? Optional.of(m.group(1).strip().replaceAll("\\s*\\n\\s*", " ")) : Optional.empty();
    }

    /** @return the parameter types of the declaration whose '(' was just matched, or null when it has none */
    private static List<String> headerParameters(String header, int afterOpen) {
        if (afterOpen == 0 || header.charAt(afterOpen - 1) != '(') {
            return null;
        }
        int depth = 0;
        for (int i = afterOpen; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '(' || c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ')') {
                if (depth == 0) {
                    String list = header.substring(afterOpen, i);
                    for (String prev = null; !list.equals(prev); ) {
                        prev = list;
                        list = list.replaceAll("<[^<>]*>", "");
                    }
                    return parameterTypes(list);
                }
                depth--;
            }
        }
        return null;
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
        if (description.isBlank()) {
            // a comment of tags only: what the method returns, wherever its @return stands among the @param lines
            // (Trace.color: "@param cssColor ... @return a copy with that colour"), else what it refers to
            description = tagText(rest, "@return").map(r -> "Returns " + r)
                    .or(() -> tagText(rest, "@see").map(r -> "See " + r.replaceFirst("^#", "").replace('#', '.')))
                    .orElse(description);
        }
        if (!full) {
            int para = paragraphEnd(description);
            description = para < 0 ? description : description.substring(0, para);
            int end = sentenceEnd(description);
            description = end < 0 ? description : description.substring(0, end + 1);
        }
        String out = full ? description + (rest.isEmpty() ? "" : "\n" + rest) : description;
        out = inlineTags(out)
                .replaceAll("</?(p|ul|ol|pre|em|b|i|tt|blockquote)>", "")
                .replaceAll("<li>", "- ").replaceAll("</li>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return out.strip();
    }

    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link|linkplain|literal|value)\\s+");

    /**
     * @return {@code text} with each inline tag ({@code {@code x}}, {@code {@link A#b}}, ...) replaced by its content;
     *         braces inside the content stay when they pair up ({@code {@code [t_{k-1}, t_k]}} gives
     *         {@code [t_{k-1}, t_k]})
     */
    static String inlineTags(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = INLINE_TAG.matcher(text);
        int from = 0;
        while (m.find(from)) {
            int depth = 1;
            int i = m.end();
            while (i < text.length() && depth > 0) {
                char c = text.charAt(i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                i++;
            }
            if (depth > 0) {
                break;
            }
            out.append(text, from, m.start()).append(text, m.end(), i - 1);
            from = i;
        }
        return out.append(text.substring(from)).toString();
    }

    /** @return the index of the character that ends the first sentence of {@code text}, or -1 when it has one only */
    static int sentenceEnd(String text) {
        Matcher end = SENTENCE_END.matcher(text);
        while (end.find()) {
            if (!insideInlineTag(text, end.start())) {
                return end.start();
            }
        }
        return -1;
    }

    /** @return whether {@code at} lies inside an inline tag such as {@code {@code ...}} (braces nest inside it) */
    private static boolean insideInlineTag(String text, int at) {
        int depth = 0;
        boolean tag = false;
        for (int i = 0; i < at; i++) {
            char c = text.charAt(i);
            if (c == '{') {
                if (depth == 0) {
                    tag = text.startsWith("{@", i);
                }
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
        }
        return tag && depth > 0;
    }

    /** @return the text of the first {@code tag} line of {@code tags} (up to the next tag), when there is one */
    private static Optional<String> tagText(String tags, String tag) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(tag) + "\\s+").matcher(tags);
        if (!m.find()) {
            return Optional.empty();
        }
        String after = tags.substring(m.end());
        int next = indexOfTag(after);
        String text = (next < 0 ? after : after.substring(0, next)).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
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
        String jdk = System.getProperty("tpdiff4j.jdk.sources");
        Path home = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        for (Path zip : jdk == null ? List.of(home) : List.of(Path.of(jdk), home)) {
            if (Files.isReadable(zip)) {
                found.addAll(zipRoots(zip, true));
                break;
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            String n = entry.endsWith(".jar") ? entry.substring(0, entry.length() - 4) + "-sources.jar" : null;
            if (n != null && Files.isRegularFile(Path.of(n))) {
                found.addAll(zipRoots(Path.of(n), false));
            }
        }
        roots = List.copyOf(found);
        return roots;
    }

    /** @return the root of a sources zip, or (the JDK's src.zip) its module folders */
    private static List<Path> zipRoots(Path zip, boolean modules) {
        try {
            java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(zip, (ClassLoader) null);
            Path root = fs.getPath("/");
            if (!modules || Files.isDirectory(root.resolve("java"))) {
                return List.of(root);
            }
            try (java.util.stream.Stream<Path> s = Files.list(root)) {
                return s.filter(Files::isDirectory).sorted().collect(java.util.stream.Collectors.toList());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("tpdiff4j kernel: cannot read sources in " + zip + " (" + e + ")");
            return List.of();
        }
    }
}
