package tpdiff4j.kernel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.transfer.RepositoryOfflineException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.spi.connector.checksum.ChecksumPolicy;
import org.eclipse.aether.spi.connector.checksum.ChecksumPolicyProvider;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Where {@code %maven} looks for artifacts, as a value: the local repository, the remote repositories (those added
 * with {@code %mavenRepo} first, then Maven Central, the order in which Maven asks a project's repositories), the
 * mirrors of the user's Maven settings and whether Maven is set to work offline.
 *
 * <p>{@link #fromUserSettings()} reads what {@code mvn} would use: the system property {@code maven.repo.local},
 * else {@code <localRepository>} of {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}; {@code <offline>} and
 * {@code <mirrors>} of the same file. {@link #resolve} collects the artifacts with their compile and runtime
 * dependencies (Maven's rules: nearest version wins, test, provided and optional dependencies of dependencies are
 * left out) through Maven Resolver and returns the jar files, downloading into the local repository what it lacks.
 */
public final class MavenDependencies {

    /** Maven Central, the repository every Maven build knows. */
    public static final RemoteRepository CENTRAL = repository("central", "https://repo.maven.apache.org/maven2/");

    private final Path localRepository;
    private final List<RemoteRepository> remotes;
    private final List<Element> mirrors;
    private final boolean offline;

    private MavenDependencies(Path localRepository, List<RemoteRepository> remotes, List<Element> mirrors,
                              boolean offline) {
        this.localRepository = localRepository;
        this.remotes = List.copyOf(remotes);
        this.mirrors = List.copyOf(mirrors);
        this.offline = offline;
    }

    /** @return the repositories Maven would use for this user, with Maven Central as the one remote repository */
    public static MavenDependencies fromUserSettings() {
        Path home = Path.of(System.getProperty("user.home"));
        Optional<Element> settings = readXml(home.resolve(".m2/settings.xml"));
        String local = System.getProperty("maven.repo.local");
        if (local == null || local.isBlank()) {
            local = settings.map(s -> text(s, "localRepository")).filter(s -> !s.isBlank())
                    .map(s -> s.replace("${user.home}", home.toString())).orElse(null);
        }
        Path localRepo = local == null ? home.resolve(".m2/repository") : Path.of(local);
        boolean offline = settings.map(s -> "true".equals(text(s, "offline"))).orElse(false);
        List<Element> mirrors = settings.map(s -> children(s, "mirrors", "mirror")).orElse(List.of());
        return new MavenDependencies(localRepo, List.of(CENTRAL), mirrors, offline);
    }

    /** @return a copy that asks {@code url} (under {@code id}) before the repositories it has; an old {@code id} goes */
    public MavenDependencies withRepository(String id, String url) {
        RemoteRepository r = repository(id, url);
        List<RemoteRepository> out = new ArrayList<>();
        out.add(r);
        remotes.stream().filter(x -> !x.getId().equals(id)).forEach(out::add);
        return new MavenDependencies(localRepository, out, mirrors, offline);
    }

    /** @return a copy whose remote repositories are exactly {@code repos} (e.g. without Maven Central) */
    public MavenDependencies withRemoteRepositories(List<RemoteRepository> repos) {
        return new MavenDependencies(localRepository, repos, mirrors, offline);
    }

    /** @return a copy that keeps artifacts in {@code dir} */
    public MavenDependencies withLocalRepository(Path dir) {
        return new MavenDependencies(dir, remotes, mirrors, offline);
    }

    /** @return the local repository */
    public Path localRepository() {
        return localRepository;
    }

    /** @return the remote repositories in the order they are asked */
    public List<RemoteRepository> remoteRepositories() {
        return remotes;
    }

    /**
     * @param id  a name for the repository, e.g. {@code jitpack}
     * @param url its address: {@code https://...}, {@code http://...} or {@code file:///...}
     * @return the repository in Maven's default layout
     */
    public static RemoteRepository repository(String id, String url) {
        if (id == null || !id.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("repository id = '" + id
                    + "'; allowed: letters, digits, '.', '_' and '-', e.g. %mavenRepo jitpack https://jitpack.io");
        }
        if (url == null || !url.matches("(?i)(https?|file):.+")) {
            throw new IllegalArgumentException("repository url = '" + url
                    + "'; allowed: https://..., http://... and file:/// addresses");
        }
        return new RemoteRepository.Builder(id, "default", url).build();
    }

    /**
     * @param coordinates {@code groupId:artifactId:version}, or with extension and classifier
     *                    {@code groupId:artifactId:extension[:classifier]:version}
     * @return the dependency in compile scope
     */
    public static Dependency dependency(String coordinates) {
        try {
            return new Dependency(new DefaultArtifact(coordinates.strip()), JavaScopes.COMPILE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Maven coordinates = '" + coordinates + "'; allowed: "
                    + "groupId:artifactId:version, e.g. org.apache.commons:commons-lang3:3.17.0, or "
                    + "groupId:artifactId:extension:classifier:version", e);
        }
    }

    /**
     * Resolves {@code dependencies} with their transitive compile and runtime dependencies.
     *
     * @param dependencies what to resolve (not empty)
     * @param extraRepos   repositories to ask before this value's (e.g. those of a POM), may be empty
     * @return the files, dependencies after what needs them as Maven orders a class path
     * @throws IllegalStateException with one sentence naming what is missing and where it was looked for
     */
    public List<Path> resolve(List<Dependency> dependencies, List<RemoteRepository> extraRepos) {
        if (dependencies.isEmpty()) {
            throw new IllegalArgumentException("dependencies = []; allowed: at least one groupId:artifactId:version");
        }
        List<RemoteRepository> repos = new ArrayList<>(extraRepos);
        remotes.stream().filter(r -> extraRepos.stream().noneMatch(x -> x.getId().equals(r.getId())))
                .forEach(repos::add);
        RepositorySystem system = Holder.SYSTEM;
        try (RepositorySystemSession.CloseableSession session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .setOffline(offline)
                .setSystemProperties(System.getProperties())
                .setMirrorSelector(mirrorSelector())
                .setTransferListener(new Progress())
                .build()) {
            List<Unchecked> unchecked = java.util.Collections.synchronizedList(new ArrayList<>());
            session.getData().set(UNCHECKED, unchecked);
            CollectRequest collect = new CollectRequest(dependencies, List.of(), system.newResolutionRepositories(
                    session, repos.stream().map(MavenDependencies::readableByResolver).toList()));
            DependencyRequest request = new DependencyRequest(collect,
                    DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            DependencyResult result = system.resolveDependencies(session, request);
            if (!unchecked.isEmpty()) {
                System.err.println(uncheckedNote(unchecked));
            }
            return result.getArtifactResults().stream().map(ArtifactResult::getArtifact)
                    .map(Artifact::getPath).collect(Collectors.toList());
        } catch (DependencyResolutionException e) {
            if (interruptedBy(e)) {
                Thread.interrupted(); // consumed, as the solvers do: the exception says what stopped
                throw new java.util.concurrent.CancellationException("resolving "
                        + dependencies.stream().map(d -> d.getArtifact().toString()).collect(Collectors.joining(", "))
                        + " was interrupted; nothing was added to the class path: run the magic again");
            }
            throw new IllegalStateException(explain(dependencies, repos, e), e);
        }
    }

    /**
     * The repository as Maven Resolver can read it. The resolver turns an absolute {@code file:} address into a URI
     * whose path keeps letters outside ASCII unencoded, which Java's file system refuses ("Bad escape"), so a file
     * repository in a folder such as {@code Übung} or {@code Repo-ß} was never read, whether its address was
     * percent-encoded or not; a relative address goes through {@link Path#toUri()}, which encodes them. Such a
     * repository is therefore handed over relative to the working folder; every other one as it is. Messages keep
     * the address as it was given.
     */
    static RemoteRepository readableByResolver(RemoteRepository r) {
        String url = r.getUrl();
        if (!url.regionMatches(true, 0, "file:", 0, 5)) {
            return r;
        }
        String path;
        try {
            path = new java.net.URI(url).getPath(); // percent escapes decoded as UTF-8
        } catch (java.net.URISyntaxException e) {
            path = url.substring(5).startsWith("//") ? url.substring(7) : url.substring(5); // typed with spaces
        }
        if (path == null || path.chars().allMatch(c -> c < 0x80)) {
            return r;
        }
        String relative = Path.of("").toAbsolutePath().relativize(Path.of(path).toAbsolutePath()).toString();
        // the resolver decodes percent escapes in the address: a '%' in a folder name is written as one
        return new RemoteRepository.Builder(r).setUrl("file:" + (relative.isEmpty() ? "." : relative)
                .replace("%", "%25")).build();
    }

    /**
     * Whether an interrupt of the thread ended the resolution (Maven Resolver then fails with "Collection interrupted"
     * or a transfer cut by {@link java.nio.channels.ClosedByInterruptException}), rather than a missing artifact.
     */
    private static boolean interruptedBy(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            // not java.io.InterruptedIOException: a network timeout (SocketTimeoutException) is one too
            if (c instanceof InterruptedException || c instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    private DefaultMirrorSelector mirrorSelector() {
        DefaultMirrorSelector s = new DefaultMirrorSelector();
        for (Element m : mirrors) {
            String url = text(m, "url");
            String of = text(m, "mirrorOf");
            if (!url.isBlank() && !of.isBlank()) {
                s.add(text(m, "id").isBlank() ? "mirror" : text(m, "id"), url, "default", false, false, of,
                        "default");
            }
        }
        return s;
    }

    /** @return one sentence: what could not be resolved, why, and which repositories were asked */
    private String explain(List<Dependency> wanted, List<RemoteRepository> repos, DependencyResolutionException e) {
        String what = wanted.stream().map(d -> d.getArtifact().toString()).collect(Collectors.joining(", "));
        String where = "the local repository " + localRepository + " and " + repos.stream()
                .map(r -> r.getId() + " (" + r.getUrl() + ")").collect(Collectors.joining(", "));
        List<Throwable> all = new ArrayList<>();
        collect(e, all, new IdentityHashMap<>());
        if (e.getResult() != null) {
            for (ArtifactResult r : e.getResult().getArtifactResults()) {
                r.getExceptions().forEach(x -> collect(x, all, new IdentityHashMap<>()));
            }
            if (e.getResult().getCollectExceptions() != null) {
                e.getResult().getCollectExceptions().forEach(x -> collect(x, all, new IdentityHashMap<>()));
            }
        }
        if (offline || all.stream().anyMatch(t -> t instanceof RepositoryOfflineException)) {
            return "%maven could not resolve " + what + ": Maven is set to work offline (<offline> in "
                    + "~/.m2/settings.xml) and " + where + " do not hold it.";
        }
        if (all.stream().anyMatch(MavenDependencies::isUnreachable)) {
            return "%maven could not resolve " + what + ": a remote repository could not be reached (offline or "
                    + "blocked network?) while looking in " + where + ".";
        }
        Optional<ArtifactNotFoundException> missing = all.stream()
                .filter(t -> t instanceof ArtifactNotFoundException).map(t -> (ArtifactNotFoundException) t)
                .findFirst();
        if (missing.isPresent()) {
            Artifact a = missing.get().getArtifact();
            Path file = localRepository.resolve(a.getGroupId().replace('.', '/')).resolve(a.getArtifactId())
                    .resolve(a.getBaseVersion()).resolve(a.getArtifactId() + "-" + a.getVersion()
                            + (a.getClassifier().isEmpty() ? "" : "-" + a.getClassifier()) + "." + a.getExtension());
            if (Files.isRegularFile(file)) {
                return "%maven could not resolve " + what + ": the local repository holds " + file + ", but it was "
                        + "downloaded from a repository this session does not list (add it with %mavenRepo ID URL; "
                        + "Maven only reuses a download for the repository it came from), and none of " + repos
                        .stream().map(r -> r.getId() + " (" + r.getUrl() + ")").collect(Collectors.joining(", "))
                        + " has it.";
            }
            return "%maven could not resolve " + what + ": " + missing.get().getArtifact() + " is in none of "
                    + where + ".";
        }
        Throwable root = all.get(all.size() - 1);
        return "%maven could not resolve " + what + " from " + where + ": " + root.getMessage();
    }

    private static boolean isUnreachable(Throwable t) {
        return t instanceof UnknownHostException || t instanceof ConnectException
                || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException;
    }

    private static void collect(Throwable t, List<Throwable> out, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, true) != null) {
            return;
        }
        out.add(t);
        collect(t.getCause(), out, seen);
        for (Throwable s : t.getSuppressed()) {
            collect(s, out, seen);
        }
    }

    /** Tells what is being fetched from a remote repository, so a long download shows progress. */
    private static final class Progress extends AbstractTransferListener {
        @Override
        public void transferSucceeded(TransferEvent event) {
            if (!event.getResource().getRepositoryUrl().startsWith("file:")) {
                System.out.println(String.format(Locale.ROOT, "downloaded %s%s (%d kB)",
                        event.getResource().getRepositoryUrl(), event.getResource().getResourceName(),
                        event.getTransferredBytes() / 1024));
            }
        }
    }

    /** One repository system per kernel, built on the first {@code %maven} (it is not needed before). */
    private static final class Holder {
        static final RepositorySystem SYSTEM = new RepositorySystemSupplier() {
            @Override
            protected ChecksumPolicyProvider createChecksumPolicyProvider() {
                return new MissingChecksums(super.createChecksumPolicyProvider());
            }
        }.get();
    }

    /** The key of the session's list of downloads that came without checksum files ({@link MissingChecksums}). */
    private static final Object UNCHECKED = new Object();

    /**
     * The note after a resolution that downloaded files without checksum files beside them (a file repository made
     * by hand, as {@code mvn install} into a folder writes none): one line naming them, in place of Maven
     * Resolver's warning for each file.
     */
    static String uncheckedNote(List<Unchecked> files) {
        Map<String, java.util.SortedSet<String>> byRepository = new java.util.TreeMap<>();
        for (Unchecked u : files) {
            byRepository.computeIfAbsent(u.repository(), r -> new java.util.TreeSet<>()).add(u.file());
        }
        int n = byRepository.values().stream().mapToInt(Set::size).sum();
        return "note: %maven: no checksum files (.sha1, .md5) beside " + byRepository.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + " in " + e.getKey()).collect(Collectors.joining("; "))
                + ", so " + (n == 1 ? "its" : "their") + " integrity was not checked (Maven warns and uses "
                + (n == 1 ? "it" : "them") + " all the same)";
    }

    /** A file downloaded from {@code repository} ("id (url)") without a checksum file beside it. */
    record Unchecked(String repository, String file) {
    }

    /**
     * Maven's checksum policies, except that a download without checksum files under the policy {@code warn}
     * (Maven's default) is noted in the session's list ({@link #UNCHECKED}) for one line after the resolution,
     * instead of a warning per file; a checksum that does not match, and every case of the policy {@code fail}, are
     * reported as Maven reports them.
     */
    private record MissingChecksums(ChecksumPolicyProvider maven) implements ChecksumPolicyProvider {
        @Override
        public ChecksumPolicy newChecksumPolicy(RepositorySystemSession session, RemoteRepository repository,
                org.eclipse.aether.transfer.TransferResource resource, String policy) {
            ChecksumPolicy p = maven.newChecksumPolicy(session, repository, resource, policy);
            Object list = session.getData().get(UNCHECKED);
            if (p == null || !org.eclipse.aether.repository.RepositoryPolicy.CHECKSUM_POLICY_WARN.equals(policy)
                    || !(list instanceof List<?>)) {
                return p;
            }
            @SuppressWarnings("unchecked")
            List<Unchecked> unchecked = (List<Unchecked>) list;
            String name = resource.getResourceName();
            Unchecked file = new Unchecked(repository.getId() + " (" + repository.getUrl() + ")",
                    name.substring(name.lastIndexOf('/') + 1));
            return new ChecksumPolicy() {
                @Override
                public boolean onChecksumMatch(String algorithm, ChecksumKind kind) {
                    return p.onChecksumMatch(algorithm, kind);
                }

                @Override
                public void onChecksumMismatch(String algorithm, ChecksumKind kind,
                        org.eclipse.aether.transfer.ChecksumFailureException e)
                        throws org.eclipse.aether.transfer.ChecksumFailureException {
                    p.onChecksumMismatch(algorithm, kind, e);
                }

                @Override
                public void onChecksumError(String algorithm, ChecksumKind kind,
                        org.eclipse.aether.transfer.ChecksumFailureException e)
                        throws org.eclipse.aether.transfer.ChecksumFailureException {
                    p.onChecksumError(algorithm, kind, e);
                }

                @Override
                public void onNoMoreChecksums() {
                    unchecked.add(file); // Maven's policy would warn for this file alone
                }

                @Override
                public void onTransferRetry() {
                    p.onTransferRetry();
                }

                @Override
                public boolean onTransferChecksumFailure(org.eclipse.aether.transfer.ChecksumFailureException e) {
                    return p.onTransferChecksumFailure(e);
                }
            };
        }

        @Override
        public String getEffectiveChecksumPolicy(RepositorySystemSession session, String policy1, String policy2) {
            return maven.getEffectiveChecksumPolicy(session, policy1, policy2);
        }
    }

    static Optional<Element> readXml(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parseXml(Files.readString(file)).getDocumentElement());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("tpdiff4j kernel: ignoring " + file + " (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** @return the parsed document; DTDs and external entities are refused */
    static Document parseXml(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** @return the trimmed text of the first child element {@code name} of {@code e}, or "" */
    static String text(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && localName(n).equals(name)) {
                return n.getTextContent().strip();
            }
        }
        return "";
    }

    /** @return the elements {@code <outer><inner/>...</outer>} under {@code e} */
    static List<Element> children(Element e, String outer, String inner) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && localName(n).equals(outer)) {
                for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element && localName(c).equals(inner)) {
                        out.add((Element) c);
                    }
                }
            }
        }
        return out;
    }

    static String localName(Node n) {
        String name = n.getNodeName();
        return name.substring(name.indexOf(':') + 1);
    }
}
