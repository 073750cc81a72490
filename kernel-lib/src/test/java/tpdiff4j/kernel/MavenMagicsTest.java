package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.ToolProvider;
import org.eclipse.aether.repository.RemoteRepository;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %maven, %mavenRepo, %%loadFromPOM, %jars and %load against a file-based Maven repository that the test writes:
 * {@code org.example:greeter:1.0} (class {@code org.example.greeter.Greeter}) depends on {@code org.example:words:1.0}
 * (class {@code org.example.words.Words}); the local repository starts empty. No network is used.
 */
class MavenMagicsTest {

    @TempDir
    static Path tmp;
    static Path remote;
    static Path local;
    static CellEvaluator ev;
    static Magics magics;
    static String oldRepoLocal;

    @BeforeAll
    static void buildRepository() throws Exception {
        remote = tmp.resolve("remote");
        local = tmp.resolve("local");
        artifact("words", "Words", null, "package org.example.words; public final class Words {"
                + " public static String hello() { return \"hello\"; } }");
        artifact("greeter", "Greeter", "words", "package org.example.greeter; public final class Greeter {"
                + " public static String greet(String n) { return org.example.words.Words.hello() + \", \" + n; } }");
        oldRepoLocal = System.setProperty("maven.repo.local", local.toString());
        ev = new CellEvaluator();
        magics = new Magics(ev);
    }

    @AfterAll
    static void stop() {
        ev.close();
        if (oldRepoLocal == null) {
            System.clearProperty("maven.repo.local");
        } else {
            System.setProperty("maven.repo.local", oldRepoLocal);
        }
    }

    /** Writes org/example/NAME/1.0/NAME-1.0.{jar,pom} under {@link #remote}, compiled against the repo's jars. */
    private static void artifact(String name, String className, String dependsOn, String source) throws IOException {
        Path src = tmp.resolve("src-" + name);
        Path classes = tmp.resolve("classes-" + name);
        Files.createDirectories(src);
        Files.createDirectories(classes);
        Path file = src.resolve(className + ".java");
        Files.writeString(file, source);
        String cp = dependsOn == null ? "" : jarOf(dependsOn).toString();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-cp", cp, file.toString());
        assertEquals(0, rc, "javac " + name);
        Path dir = remote.resolve("org/example/" + name + "/1.0");
        Files.createDirectories(dir);
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarOf(name)));
             Stream<Path> s = Files.walk(classes)) {
            for (Path c : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                Files.copy(c, jar);
                jar.closeEntry();
            }
        }
        String dep = dependsOn == null ? "" : "<dependencies><dependency><groupId>org.example</groupId><artifactId>"
                + dependsOn + "</artifactId><version>1.0</version></dependency></dependencies>";
        Files.writeString(dir.resolve(name + "-1.0.pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example</groupId><artifactId>" + name + "</artifactId><version>1.0</version>"
                + dep + "</project>");
    }

    private static Path jarOf(String name) {
        return remote.resolve("org/example/" + name + "/1.0/" + name + "-1.0.jar");
    }

    private static String captured(java.util.concurrent.Callable<Object> body, boolean err) throws Exception {
        PrintStream old = err ? System.err : System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        if (err) {
            System.setErr(p);
        } else {
            System.setOut(p);
        }
        try {
            body.call();
        } finally {
            if (err) {
                System.setErr(old);
            } else {
                System.setOut(old);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mavenResolvesTransitivelyIntoTheLocalRepositoryAndTheCellsSeeTheClasses() throws Exception {
        magics.run("%mavenRepo test " + remote.toUri());
        String out = captured(() -> magics.run("%maven org.example:greeter:1.0"), false);
        assertTrue(out.contains("added 2 jars"), out);
        assertTrue(Files.isRegularFile(local.resolve("org/example/words/1.0/words-1.0.jar")),
                "the dependency of greeter is downloaded into the local repository");
        assertEquals("hello, notebook", magics.run("org.example.greeter.Greeter.greet(\"notebook\")"));
        // the same again adds nothing twice
        String again = captured(() -> magics.run("%maven org.example:greeter:1.0"), false);
        assertTrue(again.contains("added 0 jars; 2 already"), again);
    }

    /**
     * An interrupt during a resolution (Kernel -> Interrupt while %maven runs) is said to be one, with nothing added;
     * before, it read as a missing artifact: "could not resolve org.example:words:jar:1.0 from the local repository
     * ... and test (...): null".
     */
    @Test
    void anInterruptedResolutionSaysSoAndAddsNothing() throws Exception {
        MavenDependencies only = MavenDependencies.fromUserSettings().withRemoteRepositories(
                List.of(MavenDependencies.repository("test", remote.toUri().toString())));
        PomFragment words = PomFragment.parse("<dependency><groupId>org.example</groupId>"
                + "<artifactId>words</artifactId><version>1.0</version></dependency>");
        Thread.currentThread().interrupt();
        java.util.concurrent.CancellationException e;
        try {
            e = assertThrows(java.util.concurrent.CancellationException.class,
                    () -> only.resolve(words.dependencies(), List.of()));
        } finally {
            Thread.interrupted();
        }
        assertEquals("resolving org.example:words:jar:1.0 was interrupted; nothing was added to the class path: run"
                + " the magic again", e.getMessage());
        assertEquals(List.of("words-1.0.jar"), only.resolve(words.dependencies(), List.of()).stream()
                .map(p -> p.getFileName().toString()).toList(), "run again, it resolves");
    }

    @Test
    void loadFromPomTakesADependenciesFragmentAndAWholePomWithProperties() throws Exception {
        MavenDependencies only = MavenDependencies.fromUserSettings().withRemoteRepositories(
                List.of(MavenDependencies.repository("test", remote.toUri().toString())));
        PomFragment fragment = PomFragment.parse("<dependencies><dependency><groupId>org.example</groupId>"
                + "<artifactId>words</artifactId><version>1.0</version></dependency>"
                + "<dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13</version>"
                + "<scope>test</scope></dependency></dependencies>");
        assertEquals(1, fragment.dependencies().size(), "the test-scoped dependency is left out");
        assertEquals(List.of("words-1.0.jar"), only.resolve(fragment.dependencies(), List.of()).stream()
                .map(p -> p.getFileName().toString()).toList());
        PomFragment pom = PomFragment.parse("<?xml version=\"1.0\"?><project xmlns=\"http://maven.apache.org/POM/"
                + "4.0.0\"><properties><ex.version>1.0</ex.version></properties><repositories><repository>"
                + "<id>test</id><url>" + remote.toUri() + "</url></repository></repositories><dependencies>"
                + "<dependency><groupId>org.example</groupId><artifactId>greeter</artifactId>"
                + "<version>${ex.version}</version><exclusions><exclusion><groupId>org.example</groupId>"
                + "<artifactId>words</artifactId></exclusion></exclusions></dependency></dependencies></project>");
        assertEquals("1.0", pom.dependencies().get(0).getArtifact().getVersion());
        assertEquals(List.of("greeter-1.0.jar"), only.resolve(pom.dependencies(), pom.repositories()).stream()
                .map(p -> p.getFileName().toString()).toList(), "the exclusion keeps words out");
        // the cell magic, end to end
        CellEvaluator fresh = new CellEvaluator();
        try {
            Magics m = new Magics(fresh);
            m.run("%mavenRepo test " + remote.toUri());
            m.run("%%loadFromPOM\n<dependencies><dependency><groupId>org.example</groupId><artifactId>greeter"
                    + "</artifactId><version>1.0</version></dependency></dependencies>\n");
            assertEquals("hello, pom", m.run("org.example.greeter.Greeter.greet(\"pom\")"));
        } finally {
            fresh.close();
        }
    }

    @Test
    void contentCellMagicsShowTheirTextAsThatMimeType() throws Exception {
        org.dflib.jjava.jupyter.kernel.display.DisplayData d =
                (org.dflib.jjava.jupyter.kernel.display.DisplayData) magics.run("%%html\n<b>x</b>");
        assertEquals("<b>x</b>", d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_HTML));
        d = (org.dflib.jjava.jupyter.kernel.display.DisplayData) magics.run("%%markdown\n# title");
        assertEquals("# title", d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.parse(
                "text/markdown")));
    }

    /**
     * A file repository in a folder whose name has spaces and letters outside ASCII, given as Java and Python write
     * its address (percent-encoded UTF-8, {@code file:///tmp/%C3%9Cbung%20mit/...}) and as typed, unencoded; the
     * local repository has such a name too. Maven Resolver failed on either address ("is in none of ...", inside:
     * "Bad escape"); a folder with spaces alone worked.
     */
    @Test
    void aFileRepositoryAtAPathWithSpacesAndLettersOutsideAsciiResolves() throws Exception {
        Path odd = tmp.resolve("Übung mit Leerzeichen/Repo-ß σ 100%");
        copyWords(odd);
        PomFragment dep = wordsDependency();
        int k = 0;
        for (String url : List.of(odd.toUri().toString(), "file://" + odd)) {
            Path fresh = tmp.resolve("lokales Repo ü " + k++);
            MavenDependencies only = MavenDependencies.fromUserSettings().withLocalRepository(fresh)
                    .withRemoteRepositories(List.of(MavenDependencies.repository("odd", url)));
            List<Path> jars = only.resolve(dep.dependencies(), List.of());
            assertEquals(List.of(fresh.resolve("org/example/words/1.0/words-1.0.jar")), jars, url);
            assertTrue(Files.isRegularFile(jars.get(0)), url);
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> only.resolve(
                    List.of(MavenDependencies.dependency("org.example:nothing:1.0")), List.of()));
            assertTrue(missing.getMessage().contains("odd (" + url + ")"), "the address as given: "
                    + missing.getMessage());
        }
        RemoteRepository web = MavenDependencies.repository("web", "https://example.org/m2/Übung");
        assertEquals(web, MavenDependencies.readableByResolver(web), "only file repositories are rewritten");
    }

    /** Copies the test repository's org.example:words:1.0 (jar and pom, no checksum files) into {@code repo}. */
    private Path copyWords(Path repo) throws java.io.IOException {
        Path words = repo.resolve("org/example/words/1.0");
        Files.createDirectories(words);
        try (Stream<Path> s = Files.list(remote.resolve("org/example/words/1.0"))) {
            for (Path f : s.toList()) {
                Files.copy(f, words.resolve(f.getFileName()));
            }
        }
        return words;
    }

    private static PomFragment wordsDependency() {
        return PomFragment.parse("<dependency><groupId>org.example</groupId>"
                + "<artifactId>words</artifactId><version>1.0</version></dependency>");
    }

    /**
     * A file repository without checksum files (as one written by hand, or by this test) gives one note naming the
     * files, where Maven Resolver wrote a warning per file ("Could not validate integrity of download from ...: no
     * checksums available", twice per artifact); a checksum file that does not match is still reported as Maven
     * reports it.
     */
    @Test
    void downloadsWithoutChecksumFilesAreOneNoteAndAWrongChecksumStillWarns() throws Exception {
        Path plain = tmp.resolve("plain-repo");
        Path words = copyWords(plain);
        PomFragment dep = wordsDependency();
        MavenDependencies fromPlain = MavenDependencies.fromUserSettings().withLocalRepository(tmp.resolve("sums-1"))
                .withRemoteRepositories(List.of(MavenDependencies.repository("plain", plain.toUri().toString())));
        String err = captured(() -> fromPlain.resolve(dep.dependencies(), List.of()), true);
        assertEquals("note: %maven: no checksum files (.sha1, .md5) beside words-1.0.jar, words-1.0.pom in plain ("
                + plain.toUri() + "), so their integrity was not checked (Maven warns and uses them all the same)\n",
                err.replace("\r\n", "\n"));
        Files.writeString(words.resolve("words-1.0.jar.sha1"), "0123456789012345678901234567890123456789");
        MavenDependencies again = fromPlain.withLocalRepository(tmp.resolve("sums-2"));
        String wrong = captured(() -> again.resolve(dep.dependencies(), List.of()), true);
        assertTrue(wrong.contains("Could not validate integrity of download from " + plain.toUri()
                + "org/example/words/1.0/words-1.0.jar"), wrong);
        assertTrue(wrong.contains("beside words-1.0.pom in plain"), "the POM still has none: " + wrong);
        assertEquals(1, wrong.lines().filter(l -> l.startsWith("note: %maven")).count(), wrong);
    }

    @Test
    void missingAndUnreachableArtifactsSayWhatAndWhereInOneSentence() {
        MavenDependencies fileOnly = MavenDependencies.fromUserSettings().withRemoteRepositories(
                List.of(MavenDependencies.repository("test", remote.toUri().toString())));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> fileOnly.resolve(
                List.of(MavenDependencies.dependency("org.example:nothing:1.0")), List.of()));
        assertTrue(missing.getMessage().contains("org.example:nothing:jar:1.0 is in none of the local repository "
                + local), missing.getMessage());
        assertTrue(missing.getMessage().contains("test (" + remote.toUri()), missing.getMessage());
        // port 9 (discard) on the loopback interface: refused at once, no network involved
        MavenDependencies unreachable = MavenDependencies.fromUserSettings().withRemoteRepositories(
                List.of(MavenDependencies.repository("down", "http://127.0.0.1:9/repo")));
        IllegalStateException down = assertThrows(IllegalStateException.class, () -> unreachable.resolve(
                List.of(MavenDependencies.dependency("org.example:other:2.0")), List.of()));
        assertTrue(down.getMessage().contains("could not be reached"), down.getMessage());
        assertTrue(down.getMessage().contains("down (http://127.0.0.1:9/repo)"), down.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MavenDependencies.dependency("just-a-name"));
        assertTrue(bad.getMessage().contains("'just-a-name'"), bad.getMessage());
    }

    @Test
    void jarsAddsWhatTheGlobMatchesAndRefusesAGlobThatMatchesNothing() throws Exception {
        CellEvaluator fresh = new CellEvaluator();
        try {
            Magics m = new Magics(fresh);
            String out = captured(() -> m.run("%jars " + remote + "/org/example/*/1.0/*.jar"), false);
            assertTrue(out.contains("added 2 jars (greeter-1.0.jar, words-1.0.jar)"), out);
            assertEquals("hello", m.run("org.example.words.Words.hello()"));
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> m.run("%jars " + tmp + "/nowhere/*.jar"));
            assertTrue(none.getMessage().startsWith("%jars argument = '" + tmp + "/nowhere/*.jar'; allowed: a glob that"
                    + " matches a jar (no jar matches "), none.getMessage());
        } finally {
            fresh.close();
        }
    }

    /**
     * A jar in a folder whose name has spaces and letters outside ASCII: quoted, the path is one word ({@code %jars}
     * and {@code %classpath} split their arguments at spaces, so "Übung mit" was two globs that matched nothing);
     * {@code %load} takes the same quotes (they were read as part of the file name).
     */
    @Test
    void jarsAndClasspathTakeAQuotedPathWithSpaces() throws Exception {
        Path odd = tmp.resolve("Übung mit Leerzeichen/lib ß");
        Files.createDirectories(odd);
        Files.copy(jarOf("words"), odd.resolve("words 1.0.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(List.of(odd.resolve("words 1.0.jar")), Magics.jars("\"" + odd + "/*.jar\""));
        assertEquals(List.of(odd.resolve("words 1.0.jar"), jarOf("greeter")),
                Magics.jars("'" + odd + "/words 1.0.jar' " + jarOf("greeter")));
        assertEquals(List.of("a b", "c", "", "d'e"), Magics.words("\"a b\"  c '' \"d'e\"", "%jars"));
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> Magics.jars("\"" + odd + "/*.jar"));
        assertTrue(open.getMessage().startsWith("%jars argument = '\"" + odd + "/*.jar'; allowed: a path with spaces in"
                + " closed quotes") && open.getMessage().endsWith("(the quote \" is not closed)"), open.getMessage());
        CellEvaluator fresh = new CellEvaluator();
        try {
            Magics m = new Magics(fresh);
            String out = captured(() -> m.run("%classpath \"" + odd + "/words 1.0.jar\""), false);
            assertTrue(out.contains("added to the class path: " + odd.resolve("words 1.0.jar")), out);
            assertEquals("hello", m.run("org.example.words.Words.hello()"));
            // %load takes its whole argument as the path, and a quoted one as %jars writes it
            Files.writeString(odd.resolve("grüße σ.jsh"), "String grüße = \"σ\";\n");
            m.run("%load " + odd + "/grüße σ.jsh");
            assertEquals("σ", m.run("grüße"));
            Files.writeString(odd.resolve("grüße σ.jsh"), "String grüße = \"ß\";\n");
            m.run("%load '" + odd + "/grüße σ.jsh'");
            assertEquals("ß", m.run("grüße"));
            IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                    () -> m.run("%load \"a.jsh\" \"b.jsh\""));
            assertTrue(two.getMessage().equals("%load argument = '\"a.jsh\" \"b.jsh\"'; allowed: one path (this names 2:"
                    + " a.jsh, b.jsh)"), two.getMessage());
        } finally {
            fresh.close();
        }
    }

    /**
     * JShell's background class indexer, which every session starts, once overwrote the compiler's class path with
     * this JVM's default one when it ran late, so that in about one fresh session in ten the compiler never saw
     * the jars that {@code %jars} had just added (the runtime did). The race needs some sessions before it shows;
     * without the fix 40 sessions in a row failed at least once in every trial (3 to 6 of 40).
     */
    @Test
    void everyFreshSessionsCompilerSeesTheJarsThatJarsAdded() throws Exception {
        List<String> failed = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            CellEvaluator fresh = new CellEvaluator();
            try {
                Magics m = new Magics(fresh);
                captured(() -> m.run("%jars " + jarOf("words")), false);
                try {
                    assertEquals("hello", m.run("org.example.words.Words.hello()"));
                } catch (CompileError e) {
                    failed.add("session " + i + ": " + e.getMessage());
                }
            } finally {
                fresh.close();
            }
        }
        assertEquals(List.of(), failed);
    }

    @Test
    void servicesOfAddedJarsAreFoundThroughTheContextClassLoader() throws Exception {
        Path src = tmp.resolve("plugin-src/org/example/plugin/Hello.java");
        Path classes = tmp.resolve("plugin-classes");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package org.example.plugin; public final class Hello implements "
                + "java.util.function.Supplier<String> { public String get() { return \"from plugin\"; } }");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.toString()));
        Path jar = tmp.resolve("plugin.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new JarEntry("org/example/plugin/Hello.class"));
            Files.copy(classes.resolve("org/example/plugin/Hello.class"), j);
            j.closeEntry();
            j.putNextEntry(new JarEntry("META-INF/services/java.util.function.Supplier"));
            j.write("org.example.plugin.Hello\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        CellEvaluator fresh = new CellEvaluator();
        try {
            Magics m = new Magics(fresh);
            m.run("%jars " + jar);
            assertEquals(List.of("from plugin"), m.run("java.util.ServiceLoader.load(java.util.function.Supplier"
                    + ".class).stream().map(p -> String.valueOf(p.get().get())).toList()"));
        } finally {
            fresh.close();
        }
    }

    @Test
    void loadRunsScriptsAndNotebookCellsInOrderAndNamesTheFailingCell() throws Exception {
        Path jsh = tmp.resolve("setup.jsh");
        Files.writeString(jsh, "int base = 40;\nint twice(int x) { return 2 * x; }\n");
        Path nb = tmp.resolve("nb.ipynb");
        Files.writeString(nb, "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": ["
                + "{\"cell_type\": \"markdown\", \"source\": [\"# title\"], \"metadata\": {}},"
                + "{\"cell_type\": \"code\", \"source\": [\"%load " + jsh + "\\n\", \"int loaded = twice(base);\"],"
                + " \"metadata\": {}, \"outputs\": []},"
                + "{\"cell_type\": \"code\", \"source\": \"int broken = undefinedName;\", \"metadata\": {},"
                + " \"outputs\": []},"
                + "{\"cell_type\": \"code\", \"source\": \"int after = 1;\", \"metadata\": {}, \"outputs\": []}]}");
        CellEvaluator fresh = new CellEvaluator();
        try {
            Magics m = new Magics(fresh);
            String err = captured(() -> {
                assertThrows(CompileError.class, () -> m.run("%load " + nb));
                return null;
            }, true);
            assertTrue(err.contains("nb.ipynb: code cell 2 of 3 failed"), err);
            assertEquals(80, m.run("loaded"), "the first code cell (and the script it loads) ran");
            assertThrows(CompileError.class, () -> m.run("after"), "the cell after the failing one did not run");
        } finally {
            fresh.close();
        }
    }
}
