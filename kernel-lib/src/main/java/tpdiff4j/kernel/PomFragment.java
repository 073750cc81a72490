package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.w3c.dom.Element;

/**
 * The dependencies and repositories of a cell that holds a POM ({@code <project>}), its {@code <dependencies>}
 * section, or one {@code <dependency>}, for {@code %%loadFromPOM}.
 *
 * <p>Each dependency takes {@code groupId}, {@code artifactId}, {@code version}, and optionally {@code type}
 * (extension, default jar), {@code classifier}, {@code scope} and {@code exclusions}; {@code ${name}} is replaced by
 * the POM's {@code <properties>}, {@code project.groupId} and {@code project.version}. Test-scoped dependencies are
 * skipped (a notebook has no test class path); compile, runtime and provided ones are loaded (a notebook has no
 * container that would provide them); a system-scoped one is refused with a pointer to {@code %jars}.
 *
 * @param dependencies the dependencies to resolve, in the order written
 * @param repositories the {@code <repositories>} of a whole POM (empty for a fragment)
 */
public record PomFragment(List<Dependency> dependencies, List<RemoteRepository> repositories) {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /** @return what {@code xml} declares; IllegalArgumentException naming the element that is incomplete */
    public static PomFragment parse(String xml) {
        String body = xml.strip().replaceFirst("^<\\?xml[^>]*\\?>", "");
        Element root = MavenDependencies.parseXml("<fragment>" + body + "</fragment>").getDocumentElement();
        List<Element> top = new ArrayList<>();
        for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                top.add((Element) n);
            }
        }
        if (top.size() != 1) {
            throw new IllegalArgumentException("%%loadFromPOM top-level elements = " + top.size() + " in the cell;"
                    + " allowed: one <project>, one <dependencies> or one <dependency>");
        }
        Element e = top.get(0);
        Map<String, String> props = new HashMap<>();
        List<Element> deps;
        List<RemoteRepository> repos = new ArrayList<>();
        switch (MavenDependencies.localName(e)) {
            case "project":
                properties(e, props);
                deps = MavenDependencies.children(e, "dependencies", "dependency");
                for (Element r : MavenDependencies.children(e, "repositories", "repository")) {
                    repos.add(MavenDependencies.repository(value(r, "id", props), value(r, "url", props)));
                }
                break;
            case "dependencies":
                deps = MavenDependencies.children(root, "dependencies", "dependency");
                break;
            case "dependency":
                deps = List.of(e);
                break;
            default:
                throw new IllegalArgumentException("%%loadFromPOM top-level element = <" + MavenDependencies
                        .localName(e) + ">; allowed: <project>, <dependencies> or <dependency>");
        }
        List<Dependency> out = new ArrayList<>();
        for (Element d : deps) {
            Dependency dep = dependency(d, props);
            if (!JavaScopes.TEST.equals(dep.getScope())) {
                out.add(dep);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("%%loadFromPOM dependencies = none outside test scope; allowed: at least"
                    + " one dependency outside test scope");
        }
        return new PomFragment(List.copyOf(out), List.copyOf(repos));
    }

    private static void properties(Element project, Map<String, String> props) {
        for (org.w3c.dom.Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && MavenDependencies.localName(n).equals("properties")) {
                for (org.w3c.dom.Node p = n.getFirstChild(); p != null; p = p.getNextSibling()) {
                    if (p instanceof Element) {
                        props.put(MavenDependencies.localName(p), p.getTextContent().strip());
                    }
                }
            }
        }
        String group = MavenDependencies.text(project, "groupId");
        String version = MavenDependencies.text(project, "version");
        props.put("project.groupId", group);
        props.put("project.version", version);
    }

    private static Dependency dependency(Element d, Map<String, String> props) {
        String g = value(d, "groupId", props);
        String a = value(d, "artifactId", props);
        String v = value(d, "version", props);
        if (g.isEmpty() || a.isEmpty() || v.isEmpty()) {
            throw new IllegalArgumentException("%%loadFromPOM <dependency> = groupId '" + g + "', artifactId '"
                    + a + "', version '" + v + "'; allowed: all three given (a notebook has no parent POM or BOM to "
                    + "take a version from)");
        }
        String type = value(d, "type", props);
        String scope = value(d, "scope", props);
        if (scope.equals(JavaScopes.SYSTEM)) {
            throw new IllegalArgumentException("%%loadFromPOM scope of " + g + ":" + a + " = system; allowed: any"
                    + " other scope (add the jar of a system dependency with %jars " + value(d, "systemPath", props) + ")");
        }
        List<Exclusion> ex = new ArrayList<>();
        for (Element x : MavenDependencies.children(d, "exclusions", "exclusion")) {
            ex.add(new Exclusion(value(x, "groupId", props), value(x, "artifactId", props), "*", "*"));
        }
        DefaultArtifact art = new DefaultArtifact(g, a, value(d, "classifier", props),
                type.isEmpty() || type.equals("bundle") ? "jar" : type, v);
        return new Dependency(art, scope.isEmpty() ? JavaScopes.COMPILE : scope,
                false, ex);
    }

    private static String value(Element e, String name, Map<String, String> props) {
        String raw = MavenDependencies.text(e, name);
        Matcher m = PROPERTY.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = props.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("%%loadFromPOM <" + name + "> = " + raw + "; allowed: properties"
                        + " that the cell defines in <properties> (it uses the property '" + m.group(1) + "', which the"
                        + " cell does not define)");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
