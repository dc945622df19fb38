package io.heddle.itest;

import io.heddle.itest.support.HeddlePlatform;
import io.heddle.itest.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;

/**
 * Helpers of Heddle's own in-container tests. What runs in the container is listed in one place,
 * the test kit's {@link HeddlePlatform} (the distribution's {@code bundles/} folder); this class
 * adds the bundles the tests themselves use (AssertJ).
 */
public final class TestSupport {

    private TestSupport() {}

    public static Path distribution() {
        return HeddlePlatform.distribution();
    }

    /** The platform: the distribution's bundles. */
    public static Option[] platformBundles() {
        return HeddlePlatform.platformBundles();
    }

    /** Bundles the tests themselves use in the container (AssertJ). */
    public static Option[] testBundles() {
        return HeddlePlatform.bundlesIn(Path.of(System.getProperty("heddle.testBundles", "target/test-bundles")));
    }

    /** The HTTP runtimes (Jetty instances) registered in the framework now. */
    public static List<org.osgi.framework.ServiceReference<?>> httpRuntimes(org.osgi.framework.BundleContext context) {
        try {
            org.osgi.framework.ServiceReference<?>[] refs =
                    context.getAllServiceReferences("org.osgi.service.servlet.runtime.HttpServiceRuntime", null);
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

    /** The string value of the first member called {@code field}, at any depth, of a JSON text; it must exist. */
    public static String jsonString(String json, String field) {
        String value = Json.firstString(json, field);
        if (value == null) {
            throw new AssertionError("no string field " + field + " in " + json);
        }
        return value;
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
        return HeddlePlatform.newHome(name);
    }

    /**
     * The distribution bundle whose file name starts with {@code namePrefix} (e.g.
     * {@code "chat-embedded-"}), for tests that install it themselves (hot deploy).
     */
    public static Path distributionBundle(String namePrefix) {
        Path dir = distribution().resolve("bundles");
        try (Stream<Path> jars = Files.list(dir)) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().startsWith(namePrefix)
                            && p.toString().endsWith(".jar"))
                    .collect(java.util.stream.Collectors.toList());
            if (found.size() != 1) {
                throw new IllegalStateException(
                        "Expected one bundle named " + namePrefix + "* in " + dir + ", found " + found);
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

    /**
     * Gives Configuration Admin {@code properties} for {@code pid} from the container's start, the
     * way the product is configured: FileInstall reads {@code <home>/etc} (see the launcher's
     * {@code FelixBoot}). The file is written now, in FileInstall's typed {@code .config} form, so
     * that every value keeps its Java type (Long, Integer, Boolean, String). A test that changes a
     * configuration while it runs still uses ConfigurationAdmin.
     */
    public static Option configuration(Path home, String pid, Map<String, ?> properties) {
        Path etc = home.resolve("etc");
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) ->
                text.append(key).append('=').append(typed(value)).append('\n'));
        try {
            Files.createDirectories(etc);
            Files.writeString(etc.resolve(pid + ".config"), text.toString());
        } catch (IOException e) {
            throw new IllegalStateException("could not write the configuration of " + pid + " under " + etc, e);
        }
        return CoreOptions.composite(
                CoreOptions.frameworkProperty("felix.fileinstall.dir").value(etc.toString()),
                CoreOptions.frameworkProperty("felix.fileinstall.filter").value(".*\\.config"),
                CoreOptions.frameworkProperty("felix.fileinstall.noInitialDelay")
                        .value("true"),
                CoreOptions.frameworkProperty("felix.fileinstall.enableConfigSave")
                        .value("false"));
    }

    private static String typed(Object value) {
        if (value instanceof String) {
            return '"' + ((String) value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (value instanceof Long) {
            return "L\"" + value + '"';
        }
        if (value instanceof Integer) {
            return "I\"" + value + '"';
        }
        if (value instanceof Boolean) {
            return "B\"" + value + '"';
        }
        throw new IllegalArgumentException(
                "no .config form for " + value.getClass().getName() + " " + value);
    }

    /** Options for a container with the whole platform, the kit, the tests' bundles and its own HEDDLE_HOME. */
    public static Option[] platform(Path home, Option... extra) {
        List<Option> options = new ArrayList<>(Arrays.asList(testBundles()));
        options.addAll(Arrays.asList(extra));
        return HeddlePlatform.options(home, options.toArray(new Option[0]));
    }
}
