package tpdiff4j.kernel;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;

/**
 * The compiler's standard file manager for JShell, minus the work javac repeats for every snippet although nothing
 * changed.
 *
 * <p>Every compilation task tells the file manager its {@code --multi-release} setting again, and the standard file
 * manager answers each time by dropping its index of which class-path jar holds which package; the next package
 * lookup then re-reads the directory lists of every jar on the class path (about a tenth of a trivial cell's time
 * with the library's dependencies on it). Here a repeated option with the value already in force is accepted
 * without passing it on, so the index survives between snippets. Any other option (a class path that {@code %jars}
 * or {@code %maven} extend, a changed multi-release value) goes through unchanged and resets the index as before;
 * every lookup still goes to the standard file manager, so what the compiler sees is the same.
 *
 * <p>Likewise every task asks for a class loader over the class path to look for compiler plugins, and the standard
 * file manager opens a new one (and with it every jar) each time; here one loader per location is kept until the
 * class path changes, and javac gets a view of it that its clean-up cannot close.
 */
final class SteadyFileManager implements StandardJavaFileManager {

    private static final String MULTI_RELEASE = "--multi-release";

    private final StandardJavaFileManager std;
    private String multiRelease;
    private final Map<Location, Unclosable> loaders = new HashMap<>();

    private SteadyFileManager(StandardJavaFileManager std) {
        this.std = Objects.requireNonNull(std, "std");
    }

    /** @return the mapping for {@code JShell.builder().fileManager(...)} */
    static Function<StandardJavaFileManager, StandardJavaFileManager> mapping() {
        return SteadyFileManager::new;
    }

    @Override
    public boolean handleOption(String current, Iterator<String> remaining) {
        if (MULTI_RELEASE.equals(current) && remaining.hasNext()) {
            String value = remaining.next();
            if (value.equals(multiRelease)) {
                return true; // already in force: passing it on would only drop the package index
            }
            boolean handled = std.handleOption(current, List.of(value).iterator());
            multiRelease = handled ? value : null;
            return handled;
        }
        dropLoaders();
        return std.handleOption(current, remaining);
    }

    /** Forgets the kept class loaders (closing them): the locations they were made for may change now. */
    private synchronized void dropLoaders() {
        for (Unclosable l : loaders.values()) {
            if (l.target instanceof Closeable c) {
                try {
                    c.close();
                } catch (IOException e) {
                    // a jar that cannot be closed stays open until the JVM ends; nothing else depends on it
                }
            }
        }
        loaders.clear();
    }

    @Override
    public int isSupportedOption(String option) {
        return std.isSupportedOption(option);
    }

    @Override
    public synchronized ClassLoader getClassLoader(Location location) {
        if (!loaders.containsKey(location)) {
            ClassLoader made = std.getClassLoader(location);
            loaders.put(location, made == null ? null : new Unclosable(made));
        }
        return loaders.get(location);
    }

    /**
     * A class loader that answers like {@code target} and has no {@code close()} for javac to call. It remembers
     * the URLs of each resource name it was asked for (javac asks for the plugin service file in every task, which
     * otherwise costs one lookup per class-path jar each time); it lives only until the class path changes.
     */
    private static final class Unclosable extends ClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final ClassLoader target;
        private final Map<String, List<URL>> resources = new java.util.concurrent.ConcurrentHashMap<>();

        Unclosable(ClassLoader target) {
            super(null);
            this.target = target;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            return target.loadClass(name);
        }

        @Override
        public URL getResource(String name) {
            return target.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> urls = resources.get(name);
            if (urls == null) {
                urls = Collections.list(target.getResources(name));
                resources.put(name, urls);
            }
            return Collections.enumeration(urls);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return target.getResourceAsStream(name);
        }
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
                                         boolean recurse) throws IOException {
        return std.list(location, packageName, kinds, recurse);
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        return std.inferBinaryName(location, file);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        return std.isSameFile(a, b);
    }

    @Override
    public boolean hasLocation(Location location) {
        return std.hasLocation(location);
    }

    @Override
    public JavaFileObject getJavaFileForInput(Location location, String className, JavaFileObject.Kind kind)
            throws IOException {
        return std.getJavaFileForInput(location, className, kind);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                               FileObject sibling) throws IOException {
        return std.getJavaFileForOutput(location, className, kind, sibling);
    }

    @Override
    public FileObject getFileForInput(Location location, String packageName, String relativeName)
            throws IOException {
        return std.getFileForInput(location, packageName, relativeName);
    }

    @Override
    public FileObject getFileForOutput(Location location, String packageName, String relativeName,
                                       FileObject sibling) throws IOException {
        return std.getFileForOutput(location, packageName, relativeName, sibling);
    }

    @Override
    public void flush() throws IOException {
        std.flush();
    }

    @Override
    public void close() throws IOException {
        dropLoaders();
        std.close();
    }

    @Override
    public Location getLocationForModule(Location location, String moduleName) throws IOException {
        return std.getLocationForModule(location, moduleName);
    }

    @Override
    public Location getLocationForModule(Location location, JavaFileObject fo) throws IOException {
        return std.getLocationForModule(location, fo);
    }

    @Override
    public <S> ServiceLoader<S> getServiceLoader(Location location, Class<S> service) throws IOException {
        return std.getServiceLoader(location, service);
    }

    @Override
    public String inferModuleName(Location location) throws IOException {
        return std.inferModuleName(location);
    }

    @Override
    public Iterable<Set<Location>> listLocationsForModules(Location location) throws IOException {
        return std.listLocationsForModules(location);
    }

    @Override
    public boolean contains(Location location, FileObject fo) throws IOException {
        return std.contains(location, fo);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromFiles(Iterable<? extends File> files) {
        return std.getJavaFileObjectsFromFiles(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Collection<? extends Path> paths) {
        return std.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Iterable<? extends Path> paths) {
        return std.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(File... files) {
        return std.getJavaFileObjects(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(Path... paths) {
        return std.getJavaFileObjects(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromStrings(Iterable<String> names) {
        return std.getJavaFileObjectsFromStrings(names);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(String... names) {
        return std.getJavaFileObjects(names);
    }

    @Override
    public void setLocation(Location location, Iterable<? extends File> files) throws IOException {
        dropLoaders();
        std.setLocation(location, files);
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        dropLoaders();
        std.setLocationFromPaths(location, paths);
    }

    @Override
    public void setLocationForModule(Location location, String moduleName, Collection<? extends Path> paths)
            throws IOException {
        dropLoaders();
        std.setLocationForModule(location, moduleName, paths);
    }

    @Override
    public Iterable<? extends File> getLocation(Location location) {
        return std.getLocation(location);
    }

    @Override
    public Iterable<? extends Path> getLocationAsPaths(Location location) {
        return std.getLocationAsPaths(location);
    }

    @Override
    public Path asPath(FileObject file) {
        return std.asPath(file);
    }

    @Override
    public void setPathFactory(PathFactory f) {
        std.setPathFactory(f);
    }
}
