package tpdiff4j;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in: where the tests find the pages, notebooks and scripts they read. */
public final class Checkout {

    private Checkout() {
    }

    /** @return the working directory or the first folder above it that holds README.md and kernel-lib/ */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("kernel-lib"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (README.md and kernel-lib/) above "
                + Path.of("").toAbsolutePath());
    }
}
