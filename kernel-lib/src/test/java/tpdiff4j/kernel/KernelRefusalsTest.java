package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The kernel refuses a bad argument of a magic, a knob, a display call or a Maven coordinate in the library's one
 * form, {@code name = value; allowed: ...}, as an IllegalArgumentException.
 */
class KernelRefusalsTest {

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void magicsNameTheirArgumentAndWhatTheyTake() {
        assertEquals("%jars argument = ''; allowed: a glob, e.g. %jars lib/*.jar", refusal(() -> Magics.jars("")));
        assertEquals("%load argument = '\"a.jsh'; allowed: a path with spaces in closed quotes, e.g. %load"
                + " \"my libs/*.jar\" (the quote \" is not closed)", refusal(() -> Magics.onePath("\"a.jsh", "%load")));
        assertEquals("%load argument = '\"a.jsh\" b.jsh'; allowed: one path (this names 2: a.jsh, b.jsh)",
                refusal(() -> Magics.onePath("\"a.jsh\" b.jsh", "%load")));
    }

    @Test
    void theWarmUpKnobAndItsSlicesAreRefusedBelowZero() {
        String before = System.getProperty(IdleWarmUp.KNOB);
        System.setProperty(IdleWarmUp.KNOB, "-2");
        try {
            assertEquals(IdleWarmUp.KNOB + " = -2; allowed: at least 0 (0 turns the warm-up off)",
                    refusal(IdleWarmUp::slicesSetting));
        } finally {
            if (before == null) {
                System.clearProperty(IdleWarmUp.KNOB);
            } else {
                System.setProperty(IdleWarmUp.KNOB, before);
            }
        }
        try (CellThread cells = new CellThread(0)) {
            IdleWarmUp warm = new IdleWarmUp(cells, System.out);
            assertEquals("slices = -1; allowed: at least 0", refusal(() -> warm.start(null, -1)));
        }
    }

    @Test
    void mavenRepositoriesAndCoordinatesAreRefusedByName() {
        assertEquals("repository id = 'my repo'; allowed: letters, digits, '.', '_' and '-', e.g. %mavenRepo jitpack"
                + " https://jitpack.io", refusal(() -> MavenDependencies.repository("my repo", "https://x.org")));
        assertEquals("repository url = 'ftp://x.org'; allowed: https://..., http://... and file:/// addresses",
                refusal(() -> MavenDependencies.repository("x", "ftp://x.org")));
        String coordinates = refusal(() -> MavenDependencies.dependency("commons-lang3"));
        assertTrue(coordinates.startsWith("Maven coordinates = 'commons-lang3'; allowed: groupId:artifactId:version, e.g."),
                coordinates);
        assertEquals("dependencies = []; allowed: at least one groupId:artifactId:version",
                refusal(() -> MavenDependencies.fromUserSettings().resolve(List.of(), List.of())));
    }

    @Test
    void displayCallsNameTheBundleTypeOrIdTheyCannotUse() {
        assertEquals("Fig.mimeBundle() = {}; allowed: a bundle that holds at least text/plain",
                refusal(() -> MimeBundles.ofBundle(Map.of(), "Fig")));
        String json = refusal(() -> MimeBundles.ofBundle(Map.of("text/plain", "f", "application/json", "{"), "Fig"));
        assertTrue(json.startsWith("Fig.mimeBundle()[application/json] = text that is not valid JSON (")
                && json.endsWith("); allowed: JSON text for a JSON MIME type"), json);
        assertEquals("MIME type = 'html'; allowed: type/subtype, e.g. text/html",
                refusal(() -> Notebook.render("<b>b</b>", "html")));
        assertEquals("displayId = ''; allowed: the id that display(...) returned",
                refusal(() -> Notebook.updateDisplay("", "x")));
    }

    @Test
    void aPomFragmentOrNotebookIsRefusedByWhatItHoldsAndWhatIsAllowed() {
        assertEquals("%%loadFromPOM top-level element = <plugin>; allowed: <project>, <dependencies> or <dependency>",
                refusal(() -> PomFragment.parse("<plugin/>")));
        assertEquals("%%loadFromPOM <dependency> = groupId 'g', artifactId 'a', version ''; allowed: all three given (a"
                + " notebook has no parent POM or BOM to take a version from)",
                refusal(() -> PomFragment.parse("<dependency><groupId>g</groupId><artifactId>a</artifactId></dependency>")));
        assertEquals("%%loadFromPOM dependencies = none outside test scope; allowed: at least one dependency outside"
                + " test scope", refusal(() -> PomFragment.parse("<dependency><groupId>g</groupId><artifactId>a"
                + "</artifactId><version>1</version><scope>test</scope></dependency>")));
        assertEquals("%%loadFromPOM <version> = ${v}; allowed: properties that the cell defines in <properties> (it"
                + " uses the property 'v', which the cell does not define)", refusal(() -> PomFragment.parse(
                "<dependency><groupId>g</groupId><artifactId>a</artifactId><version>${v}</version></dependency>")));
        assertEquals("%load nb.ipynb: \"cells\" = missing; allowed: a list of cells; only nbformat 4 notebooks are read"
                + " (re-save it with Jupyter)", refusal(() -> LoadedNotebook.codeCells("{}", "nb.ipynb")));
    }
}
