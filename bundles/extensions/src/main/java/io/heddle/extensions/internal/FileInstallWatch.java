package io.heddle.extensions.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FileInstall watcher of the extensions folder: the factory configuration
 * {@code org.apache.felix.fileinstall~heddle-extensions}. FileInstall scans the folder and
 * reports settled, changed and removed jars; {@link FolderArtifactInstaller} acts on them.
 */
final class FileInstallWatch implements AutoCloseable {

    static final String FACTORY_PID = "org.apache.felix.fileinstall";
    static final String NAME = "heddle-extensions";
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(FileInstallWatch.class);

    private final Configuration configuration;
    private final Path folder;

    private FileInstallWatch(Configuration configuration, Path folder) {
        this.configuration = configuration;
        this.folder = folder;
    }

    /**
     * @param tmpDir FileInstall's scratch folder (without one it makes a new folder under
     *               java.io.tmpdir for every watcher)
     */
    static FileInstallWatch start(ConfigurationAdmin configAdmin, Path folder, Duration poll, Path tmpDir)
            throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("felix.fileinstall.dir", folder.toString());
        properties.put("felix.fileinstall.poll", Long.toString(poll.toMillis()));
        // Jars only, and no hidden files: a copy in progress under ".name.jar" is never looked at.
        properties.put("felix.fileinstall.filter", "[^.].*\\.jar");
        properties.put("felix.fileinstall.subdir.mode", "skip");
        properties.put("felix.fileinstall.tmpdir", tmpDir.toString());
        // The first scan waits one interval, so even jars present at start must settle first.
        properties.put("felix.fileinstall.noInitialDelay", "false");
        Configuration configuration = configAdmin.getFactoryConfiguration(FACTORY_PID, NAME, "?");
        configuration.updateIfDifferent(properties);
        return new FileInstallWatch(configuration, folder);
    }

    /** Deletes the configuration and waits until FileInstall's watcher thread for the folder has ended. */
    @Override
    public void close() {
        try {
            configuration.delete();
        } catch (IOException | IllegalStateException e) {
            LOG.warn("Could not delete the FileInstall configuration of {}: {}", folder, e.toString());
        }
        // FileInstall names its watcher thread after the folder; it ends once the deletion reached it.
        long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
        for (Thread watcher : watcherThreads()) {
            try {
                watcher.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (watcher.isAlive()) {
                LOG.warn("FileInstall's watcher of {} did not stop within {} s", folder, STOP_DEADLINE.toSeconds());
            }
        }
    }

    private List<Thread> watcherThreads() {
        String name = "fileinstall-" + folder;
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> name.equals(t.getName()))
                .collect(Collectors.toList());
    }
}
