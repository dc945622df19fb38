package io.heddle.itest;

import io.heddle.api.lifecycle.ControlPlaneLifecycle;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerOptions;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.ServerMode;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.After;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The base of Heddle's own in-container tests (Pax Exam, {@code *IT}): the services every one of
 * them uses, HEDDLE_HOME as the container sees it, and servers started for a test that are
 * closed after it (after the subclass's own {@code @After} methods, in the order they started).
 * What the container runs and how it is configured is the subclass's {@code @Configuration}
 * ({@link TestSupport#platform}, {@link TestSupport#configuration}).
 */
public abstract class InContainerTestBase {

    @Inject
    protected BundleContext context;

    @Inject
    protected ControlPlaneLifecycle lifecycle;

    @Inject
    protected DaemonRegistry registry;

    @Inject
    protected ConfigurationAdmin configAdmin;

    private final List<ServerHandle> started = new ArrayList<>();

    /** HEDDLE_HOME as the container sees it (a test class is loaded again inside the container). */
    protected Path home() {
        return Path.of(context.getProperty("heddle.home"));
    }

    /** A new folder under HEDDLE_HOME whose name starts with {@code prefix}. */
    protected Path newFolder(String prefix) throws IOException {
        return Files.createTempDirectory(home(), prefix);
    }

    /** Options for a server of {@code mode} on 127.0.0.1, a free port, in {@code workspace}. */
    protected static ServerOptions localOptions(ServerMode mode, Path workspace) {
        return ServerOptions.of(mode, "127.0.0.1", 0, workspace);
    }

    /** Starts a server that is closed after the test. */
    protected ServerHandle start(ServerOptions options) throws Exception {
        ServerHandle handle = lifecycle.start(options);
        started.add(handle);
        return handle;
    }

    /**
     * Waits until the service {@code type} publishes {@code key=value}: components take their
     * configuration (given as options) after the container has started.
     */
    protected void awaitPublished(Class<?> type, String key, Object value) {
        Poll.until(type.getSimpleName() + " publishes " + key + "=" + value, Duration.ofSeconds(10), () -> {
            ServiceReference<?> ref = context.getServiceReference(type);
            return ref != null && value.equals(ref.getProperty(key));
        });
    }

    @After
    public final void closeStartedServers() {
        started.forEach(ServerHandle::close);
        started.clear();
    }
}
