package io.heddle.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The one list of what an in-container test runs: every bundle of the distribution's
 * {@code bundles/} folder (the launcher's own list), plus the test's helpers.
 */
public final class TestSupport {

    private TestSupport() {
    }

    public static Path distribution() {
        return Path.of(System.getProperty("heddle.dist", "../launcher/target/heddle")).toAbsolutePath().normalize();
    }

    /** The platform: the distribution's bundles, in name order (DS makes order irrelevant). */
    public static Option[] platformBundles() {
        Path dir = distribution().resolve("bundles");
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                    .map(p -> bundle(p.toUri().toString())).toArray(Option[]::new);
        } catch (IOException e) {
            throw new IllegalStateException("No distribution at " + dir + ": run 'mvn package' first", e);
        }
    }

    /** Bundles the tests themselves use in the container (AssertJ). */
    public static Option[] testBundles() {
        Path dir = Path.of(System.getProperty("heddle.testBundles", "target/test-bundles"));
        File[] jars = dir.toFile().listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null) {
            throw new IllegalStateException("No test bundles at " + dir);
        }
        return Arrays.stream(jars).sorted().map(f -> bundle(f.toURI().toString())).toArray(Option[]::new);
    }

    /** A fresh folder for one test run's HEDDLE_HOME. */
    public static Path newHome(String name) {
        try {
            Path base = Path.of(System.getProperty("heddle.itest.work", "target/itest-work"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base.toAbsolutePath(), name + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options for a container with the whole platform and its own HEDDLE_HOME. */
    public static Option[] platform(Path home, Option... extra) {
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        options.add(frameworkProperty("org.apache.felix.http.require.config").value("true"));
        options.add(frameworkProperty("heddle.home").value(home.toString()));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(junitBundles());
        options.addAll(Arrays.asList(platformBundles()));
        options.addAll(Arrays.asList(testBundles()));
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }
}
