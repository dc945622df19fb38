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

    /** The HTTP runtimes (Jetty instances) registered in the framework now. */
    public static List<org.osgi.framework.ServiceReference<?>> httpRuntimes(org.osgi.framework.BundleContext context) {
        try {
            org.osgi.framework.ServiceReference<?>[] refs = context.getAllServiceReferences(
                    "org.osgi.service.servlet.runtime.HttpServiceRuntime", null);
            return refs == null ? List.of() : Arrays.asList(refs);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code org.apache.felix.http~...} factory configurations that exist now. */
    public static List<org.osgi.service.cm.Configuration> httpFactoryConfigurations(
            org.osgi.service.cm.ConfigurationAdmin configAdmin) {
        try {
            org.osgi.service.cm.Configuration[] configs =
                    configAdmin.listConfigurations("(service.factoryPid=org.apache.felix.http)");
            return configs == null ? List.of() : Arrays.asList(configs);
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token files under {@code <home>/run}. */
    public static List<Path> tokenFiles(Path home) throws IOException {
        Path run = home.resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(run)) {
            return files.filter(p -> p.toString().endsWith(".token")).collect(java.util.stream.Collectors.toList());
        }
    }

    /** The string value of the first {@code "field":"value"} in a JSON text (enough for tests). */
    public static String jsonString(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(field)
                + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no string field " + field + " in " + json);
        }
        return m.group(1);
    }

    /** Whether something accepts connections on 127.0.0.1:port. */
    public static boolean listens(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
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

    /**
     * The distribution bundle whose file name starts with {@code namePrefix} (e.g.
     * {@code "chat-embedded-"}), for tests that install it themselves (hot deploy).
     */
    public static Path distributionBundle(String namePrefix) {
        Path dir = distribution().resolve("bundles");
        try (Stream<Path> jars = Files.list(dir)) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().startsWith(namePrefix)
                    && p.toString().endsWith(".jar")).collect(java.util.stream.Collectors.toList());
            if (found.size() != 1) {
                throw new IllegalStateException("Expected one bundle named " + namePrefix + "* in " + dir + ", found "
                        + found);
            }
            return found.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("No distribution at " + dir + ": run 'mvn package' first", e);
        }
    }

    /**
     * Options for a container with the whole platform except the bundles whose file names start
     * with one of {@code excludedPrefixes}, and its own HEDDLE_HOME.
     */
    public static Option[] platformWithout(Path home, List<String> excludedPrefixes, Option... extra) {
        for (String prefix : excludedPrefixes) {
            distributionBundle(prefix); // fails early when a prefix names nothing
        }
        List<Option> options = new ArrayList<>();
        for (Option option : platform(home, extra)) {
            if (option instanceof org.ops4j.pax.exam.options.UrlProvisionOption) {
                String url = ((org.ops4j.pax.exam.options.UrlProvisionOption) option).getURL();
                String name = url.substring(url.lastIndexOf('/') + 1);
                if (url.startsWith(distribution().resolve("bundles").toUri().toString())
                        && excludedPrefixes.stream().anyMatch(name::startsWith)) {
                    continue;
                }
            }
            options.add(option);
        }
        return options.toArray(new Option[0]);
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
