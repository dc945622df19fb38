package io.heddle.itest.support;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * What an in-container test runs: the platform's bundles, this kit, and the test's own extras.
 * Runs in the test JVM, where Pax Exam reads the options.
 *
 * <p>The platform's bundles come from, in this order:
 * <ol>
 * <li>a distribution folder named by the system property {@code heddle.dist} (every jar of its
 *     {@code bundles/} folder: what the {@code heddle} command installs);</li>
 * <li>the list {@code io.heddle:heddle-platform}, a POM named by the system property
 *     {@code heddle.platform.pom} (io.heddle:heddle-extension-parent sets it): each bundle from
 *     the local Maven repository, or through pax-url-aether when it is not there yet;</li>
 * <li>the nearest {@code launcher/target/heddle} above the working directory (Heddle's own build).</li>
 * </ol>
 */
public final class HeddlePlatform {

    /** The system property that names the distribution folder (the one holding {@code bundles/}). */
    public static final String DIST_PROPERTY = "heddle.dist";
    /** The system property that names the {@code io.heddle:heddle-platform} POM file. */
    public static final String PLATFORM_POM_PROPERTY = "heddle.platform.pom";
    /** The system property (pax-url-aether's) that names the local Maven repository. */
    public static final String LOCAL_REPOSITORY_PROPERTY = "org.ops4j.pax.url.mvn.localRepository";
    /** The system property (pax-url-aether's) that says Maven runs offline. */
    public static final String OFFLINE_PROPERTY = "org.ops4j.pax.url.mvn.offline";
    /** The system property that names the folder for test homes; default {@code target/itest-work}. */
    public static final String WORK_PROPERTY = "heddle.itest.work";

    private HeddlePlatform() {}

    /** Options for a container with the whole platform, this kit, and its own {@code HEDDLE_HOME}. */
    public static Option[] options(Path home, Option... extra) {
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        // As the launcher does: only the lifecycle's own HTTP instances may listen.
        options.add(frameworkProperty("org.apache.felix.http.require.config").value("true"));
        options.add(frameworkProperty("heddle.home").value(home.toString()));
        options.add(junitBundles());
        options.addAll(Arrays.asList(platformBundles()));
        options.add(kitBundle());
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    /** The distribution folder: {@code heddle.dist}, or the nearest {@code launcher/target/heddle}. */
    public static Path distribution() {
        String configured = configured(DIST_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return nearestBuiltDistribution()
                .orElseThrow(() -> new IllegalStateException(
                        "No Heddle distribution found: set -D" + DIST_PROPERTY + " to a distribution folder (the one "
                                + "holding bundles/), or build Heddle with 'mvn package'."));
    }

    private static Optional<Path> nearestBuiltDistribution() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("launcher/target/heddle");
            if (Files.isDirectory(candidate.resolve("bundles"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The platform: a distribution's bundles (in name order), or the bundles of the
     * {@code io.heddle:heddle-platform} list (in its order). Declarative Services makes the order irrelevant.
     */
    public static Option[] platformBundles() {
        if (configured(DIST_PROPERTY) != null) {
            return bundlesIn(distribution().resolve("bundles"));
        }
        String pom = configured(PLATFORM_POM_PROPERTY);
        if (pom != null) {
            return listedBundles(Path.of(pom));
        }
        return nearestBuiltDistribution()
                .map(d -> bundlesIn(d.resolve("bundles")))
                .orElseThrow(() -> new IllegalStateException(
                        "No Heddle platform to start: the kit needs the io.heddle:heddle-platform "
                                + "list. Use io.heddle:heddle-extension-parent as your project's parent and depend on "
                                + "io.heddle:heddle-platform with <type>pom</type> (a project generated from "
                                + "io.heddle:heddle-extension-archetype does both), or set -D" + DIST_PROPERTY
                                + " to a Heddle distribution folder."));
    }

    /** The bundles of a {@code io.heddle:heddle-platform} POM, from the local repository or through pax-url-aether. */
    public static Option[] listedBundles(Path pom) {
        Path repository = localRepository();
        boolean offline = Boolean.parseBoolean(System.getProperty(OFFLINE_PROPERTY, "false"));
        List<Option> bundles = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (PlatformList.Coordinates bundle : PlatformList.read(pom)) {
            Path jar = bundle.in(repository);
            if (Files.isRegularFile(jar)) {
                bundles.add(bundle(jar.toUri().toString()));
            } else if (offline) {
                missing.add(bundle.toString());
            } else {
                bundles.add(bundle(bundle.mvnUrl()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "The Heddle platform bundles " + String.join(", ", missing)
                            + " are not in the local repository " + repository
                            + ", and Maven runs offline (-o). Build once "
                            + "without -o so that they are fetched, or fetch each with 'mvn dependency:get -Dartifact=GROUP:ARTIFACT:VERSION'.");
        }
        return bundles.toArray(new Option[0]);
    }

    /** The local Maven repository: pax-url-aether's setting, Maven's {@code maven.repo.local}, or {@code ~/.m2/repository}. */
    public static Path localRepository() {
        String configured = configured(LOCAL_REPOSITORY_PROPERTY);
        if (configured == null) {
            configured = configured("maven.repo.local");
        }
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** A system property's value, or null when it is unset, blank, or a Maven expression Maven left as it was. */
    private static String configured(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() || value.startsWith("${") ? null : value;
    }

    /** Every jar of a folder as a bundle option, in name order. */
    public static Option[] bundlesIn(Path dir) {
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.toString().endsWith(".jar"))
                    .sorted()
                    .map(p -> bundle(p.toUri().toString()))
                    .toArray(Option[]::new);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "No bundles at " + dir + ": point -D" + DIST_PROPERTY + " at a Heddle "
                            + "distribution (the folder holding bundles/), or build it with 'mvn package' in Heddle's checkout",
                    e);
        }
    }

    /** This kit as a bundle: its jar, or its classes folder when run from an IDE. */
    public static Option kitBundle() {
        try {
            Path location = Path.of(HeddlePlatform.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isDirectory(location)
                    ? bundle("reference:" + location.toUri())
                    : bundle(location.toUri().toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh folder for one test class's {@code HEDDLE_HOME}, under {@code target/itest-work}. */
    public static Path newHome(String name) {
        try {
            Path base = Path.of(System.getProperty(WORK_PROPERTY, "target/itest-work"))
                    .toAbsolutePath();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
