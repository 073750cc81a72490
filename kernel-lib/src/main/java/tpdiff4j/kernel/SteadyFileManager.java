package tpdiff4j.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
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
 */
final class SteadyFileManager implements StandardJavaFileManager {

    private static final String MULTI_RELEASE = "--multi-release";

    private final StandardJavaFileManager std;
    private String multiRelease;

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
            boolean handled = std.handleOption(current, java.util.List.of(value).iterator());
            multiRelease = handled ? value : null;
            return handled;
        }
        multiRelease = MULTI_RELEASE.equals(current) ? null : multiRelease;
        return std.handleOption(current, remaining);
    }

    @Override
    public int isSupportedOption(String option) {
        return std.isSupportedOption(option);
    }

    @Override
    public ClassLoader getClassLoader(Location location) {
        return std.getClassLoader(location);
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
        std.setLocation(location, files);
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        std.setLocationFromPaths(location, paths);
    }

    @Override
    public void setLocationForModule(Location location, String moduleName, Collection<? extends Path> paths)
            throws IOException {
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
