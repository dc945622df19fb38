package io.heddle.itest.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The one list of what an in-container test runs: every bundle of a Heddle distribution's
 * {@code bundles/} folder (which the launcher's POM fills, and the {@code heddle} command
 * installs), this kit, and the test's own extras. Runs in the test JVM, where Pax Exam reads
 * the options.
 *
 * <p>The distribution is the folder named by the system property {@code heddle.dist}; without
 * it, the nearest {@code launcher/target/heddle} above the working directory (Heddle's own build).
 */
public final class HeddlePlatform {

    /** The system property that names the distribution folder (the one holding {@code bundles/}). */
    public static final String DIST_PROPERTY = "heddle.dist";
    /** The system property that names the folder for test homes; default {@code target/itest-work}. */
    public static final String WORK_PROPERTY = "heddle.itest.work";

    private HeddlePlatform() {
    }

    /** Options for a container with the whole platform, this kit, and its own {@code HEDDLE_HOME}. */
    public static Option[] options(Path home, Option... extra) {
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        // As the launcher does: only the lifecycle's own HTTP instances may listen.
        options.add(frameworkProperty("org.apache.felix.http.require.config").value("true"));
        options.add(frameworkProperty("heddle.home").value(home.toString()));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(junitBundles());
        options.addAll(Arrays.asList(platformBundles()));
        options.add(kitBundle());
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    /** The distribution folder. */
    public static Path distribution() {
        String configured = System.getProperty(DIST_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("launcher/target/heddle");
            if (Files.isDirectory(candidate.resolve("bundles"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No Heddle distribution found: set -D" + DIST_PROPERTY
                + " to a distribution folder (the one holding bundles/), or build Heddle with 'mvn package'.");
    }

    /** The platform: the distribution's bundles, in name order (Declarative Services makes order irrelevant). */
    public static Option[] platformBundles() {
        return bundlesIn(distribution().resolve("bundles"));
    }

    /** Every jar of a folder as a bundle option, in name order. */
    public static Option[] bundlesIn(Path dir) {
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                    .map(p -> bundle(p.toUri().toString())).toArray(Option[]::new);
        } catch (IOException e) {
            throw new IllegalStateException("No bundles at " + dir + ": build the distribution ('mvn package') first", e);
        }
    }

    /** This kit as a bundle: its jar, or its classes folder when run from an IDE. */
    public static Option kitBundle() {
        try {
            Path location = Path.of(HeddlePlatform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(location) ? bundle("reference:" + location.toUri()) : bundle(location.toUri().toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh folder for one test class's {@code HEDDLE_HOME}, under {@code target/itest-work}. */
    public static Path newHome(String name) {
        try {
            Path base = Path.of(System.getProperty(WORK_PROPERTY, "target/itest-work")).toAbsolutePath();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
