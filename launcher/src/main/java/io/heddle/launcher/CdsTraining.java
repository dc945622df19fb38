package io.heddle.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Build time only: what the run that records the class-data-sharing archive ({@code lib/heddle.jsa})
 * does besides starting and stopping a daemon, so that the archive holds the classes a real start
 * needs.
 *
 * <p>JDK 17's dynamic archive keeps the classes of bundle class loaders too, but only those that
 * were <em>linked</em> when the JVM exits. A start loads some 500 bundle classes that it never
 * links (Felix HTTP and SCR look classes up by name): without help they are left out ("Skipping ...: Not linked") and parsed from their jars
 * on every start. {@link #linkLoadedBundleClasses} reads which classes this JVM loaded from the
 * bundles (the JVM's own {@code class+load} log, which the build asks for) and links each of them
 * through reflection, which links without initialising. The archive checks every class against
 * the bytes a later start defines (size and checksum), so a changed bundle is simply parsed
 * again; nothing here changes what runs.
 */
final class CdsTraining {

    /** The {@code -Xlog:class+load} file of the training run, set by the build. */
    static final String CLASS_LOAD_LOG_PROPERTY = "heddle.cdsClassLoadLog";

    private static final String SOURCE = " source: ";

    private CdsTraining() {}

    /** The classes a {@code class+load} log names as loaded from a jar, per jar (in order, no repeats). */
    static Map<Path, List<String>> classesByJar(List<String> logLines) {
        Map<Path, List<String>> byJar = new LinkedHashMap<>();
        for (String line : logLines) {
            int at = line.indexOf(SOURCE);
            if (at < 0) {
                continue;
            }
            String source = line.substring(at + SOURCE.length()).trim();
            if (!source.startsWith("file:") || !source.endsWith(".jar")) {
                continue;
            }
            String before = line.substring(0, at).trim();
            String name = before.substring(before.lastIndexOf(' ') + 1);
            Optional<Path> jar = jarPath(source);
            if (name.isEmpty() || jar.isEmpty()) {
                continue;
            }
            List<String> names = byJar.computeIfAbsent(jar.get(), k -> new ArrayList<>());
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return byJar;
    }

    /** The file a {@code file:} URL or a bundle location ({@code reference:file:...}) names. */
    static Optional<Path> jarPath(String location) {
        String uri = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            return Optional.of(Path.of(new URI(uri)).toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Links the classes the log names as loaded from one of the framework's bundles; a class that
     * cannot be linked (an optional dependency missing) is skipped. Twice, because linking loads
     * a few more classes.
     *
     * @return how many classes were linked
     */
    static int linkLoadedBundleClasses(BundleContext context, Path classLoadLog) {
        Map<Path, Bundle> bundles = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            jarPath(bundle.getLocation()).ifPresent(jar -> bundles.put(jar, bundle));
        }
        int linked = 0;
        for (int pass = 0; pass < 2; pass++) {
            List<String> lines;
            try {
                lines = Files.readAllLines(classLoadLog);
            } catch (IOException | RuntimeException e) {
                return linked;
            }
            for (Map.Entry<Path, List<String>> jar : classesByJar(lines).entrySet()) {
                Bundle bundle = bundles.get(jar.getKey());
                if (bundle == null) {
                    continue;
                }
                for (String name : jar.getValue()) {
                    try {
                        // Reflection links a class (and its supertypes) without initialising it.
                        bundle.loadClass(name).getDeclaredFields();
                        linked++;
                    } catch (ClassNotFoundException | LinkageError | RuntimeException cannotLink) {
                        // left out of the archive, as before
                    }
                }
            }
        }
        return linked;
    }

    /**
     * One {@code GET /api/health} to the server this run started, so that the classes of the
     * first request are recorded too. Best effort: the archive only gets fewer classes without it.
     */
    static void firstRequest(String endpointUrl) {
        try {
            HttpURLConnection connection = (HttpURLConnection)
                    URI.create(endpointUrl + "/api/health").toURL().openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(5_000);
            try (InputStream body =
                    connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.readAllBytes();
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            // only fewer classes recorded
        }
    }
}
