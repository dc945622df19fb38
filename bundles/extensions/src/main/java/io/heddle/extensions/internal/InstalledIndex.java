package io.heddle.extensions.internal;

import io.heddle.storage.internal.AtomicFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension bundles this bundle installed, by bundle location, with the SHA-256 of the
 * content each runs. It survives restarts with the framework's bundle cache, so a start can
 * tell extensions apart from platform bundles and skip jars that did not change.
 */
final class InstalledIndex {

    private static final Logger LOG = LoggerFactory.getLogger(InstalledIndex.class);

    private final Path file;
    private final Map<String, String> digests = new TreeMap<>();

    InstalledIndex(Path file) {
        this.file = file;
        load();
    }

    synchronized Map<String, String> entries() {
        return Map.copyOf(digests);
    }

    synchronized Optional<String> digest(String location) {
        return Optional.ofNullable(digests.get(location));
    }

    synchronized void put(String location, String digest) {
        digests.put(location, digest);
        save();
    }

    synchronized void remove(String location) {
        if (digests.remove(location) != null) {
            save();
        }
    }

    private void load() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | IllegalArgumentException e) {
            // Losing the index costs one restart of each extension at the next scan, nothing more;
            // the unreadable file is still kept aside, never overwritten.
            String aside = "";
            try {
                aside = "; moved it to "
                        + io.heddle.storage.internal.CorruptFiles.setAside(file, java.time.Clock.systemUTC());
            } catch (IOException notMoved) {
                aside = "; could not move it aside (" + notMoved.getMessage() + ")";
            }
            LOG.warn(
                    "Could not read the extensions index {}{}; starting from an empty one: {}",
                    file,
                    aside,
                    e.toString());
            return;
        }
        properties.stringPropertyNames().forEach(location -> digests.put(location, properties.getProperty(location)));
    }

    private void save() {
        Properties properties = new Properties();
        properties.putAll(digests);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            properties.store(out, "extension bundles installed from the extensions folder: location=sha256");
            AtomicFileWriter.write(file, out.toByteArray());
        } catch (IOException e) {
            LOG.warn("Could not write the extensions index {}: {}", file, e.toString());
        }
    }
}
