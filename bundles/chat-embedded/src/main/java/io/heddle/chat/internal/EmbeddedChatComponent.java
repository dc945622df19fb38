package io.heddle.chat.internal;

import io.heddle.api.chat.ChatTopics;
import io.heddle.api.chat.EmbeddedChatHost;
import io.heddle.api.lifecycle.ControlPlaneLifecycle;
import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerOptions;
import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.registry.ServerMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded-chat host. While {@value #PID} is configured (and not {@code enabled=false}) and
 * a {@link ControlPlaneLifecycle} service is present, it runs one {@code embedded-chat} server
 * through it, taking the live record over by default (a daemon that was live stands by and
 * claims the record back after this server clears it).
 *
 * <p>The lifecycle is a dynamic reference: when its service goes away (bundle stopped or
 * updated) the server is closed, and a new one starts when a lifecycle service returns. All
 * starts and closes run in order on one thread of this component, never on the thread that
 * bound or unbound the service. It never installs signal handlers and never exits the process:
 * that is the launcher's job.
 */
@Component(
        service = EmbeddedChatHost.class,
        configurationPid = EmbeddedChatComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = EmbeddedChatComponent.Configuration.class)
public final class EmbeddedChatComponent implements EmbeddedChatHost {

    static final String PID = "io.heddle.chat.embedded";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedChatComponent.class);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(30);

    @ObjectClassDefinition(
            name = "Heddle embedded chat",
            description = "Runs an embedded-chat control-plane server through the lifecycle service.")
    @interface Configuration {
        @AttributeDefinition(description = "Run the server; false keeps the configuration but stops it.")
        boolean enabled() default true;

        @AttributeDefinition(description = "The host to bind.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "The port to bind; 0 picks a free one.")
        int port() default 0;

        @AttributeDefinition(description = "The workspace folder; empty means the process's working folder.")
        String workspaceRoot() default "";

        @AttributeDefinition(description = "The state folder: a name inside the workspace, or an absolute path.")
        String stateDir() default ".heddle";

        @AttributeDefinition(description = "A web UI folder to serve (with index.html); empty for none.")
        String assetsDir() default "";

        @AttributeDefinition(
                description = "CLAIM refuses to start while another fresh server is live; "
                        + "TAKE_OVER takes the live record over.")
        OwnershipPolicy ownership() default OwnershipPolicy.TAKE_OVER;

        @AttributeDefinition(description = "An explicit server id; empty for embedded-chat-<pid>-<millis>.")
        String serverId() default "";

        @AttributeDefinition(description = "An explicit registry file; empty for $HEDDLE_HOME/daemon-registry.json.")
        String registryPath() default "";
    }

    /** A server this component started, with what it was started from. */
    private record Running(ServerHandle handle, ControlPlaneLifecycle lifecycle, ServerOptions options) {}

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final ChatEvents events = new ChatEvents(() -> eventAdmin);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "heddle-embedded-chat");
        t.setDaemon(true);
        return t;
    });
    private final Object monitor = new Object();

    // desired state, written by DS threads; guarded by monitor
    private ControlPlaneLifecycle lifecycle;
    private Optional<ServerOptions> desired = Optional.empty();
    private ServerStartException desiredProblem;
    private boolean active;
    private long wanted;

    // actual state, written only by the worker; read under monitor
    private Running running;
    private ServerStartException lastFailure;
    private long settled;

    @Activate
    public EmbeddedChatComponent(Configuration config) {
        configure(config);
        synchronized (monitor) {
            active = true;
        }
        reconcileLater();
    }

    @Modified
    void modified(Configuration config) {
        configure(config);
        reconcileLater();
    }

    @Deactivate
    void deactivate() {
        // The closes that follow run while this bundle stops: they post no event.
        events.close();
        synchronized (monitor) {
            active = false;
        }
        reconcileLater();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(CLOSE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The embedded-chat server did not close within {} s", CLOSE_DEADLINE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindLifecycle")
    void bindLifecycle(ControlPlaneLifecycle service) {
        synchronized (monitor) {
            lifecycle = service;
        }
        reconcileLater();
    }

    void unbindLifecycle(ControlPlaneLifecycle service) {
        synchronized (monitor) {
            if (lifecycle == service) {
                lifecycle = null;
            }
        }
        reconcileLater();
    }

    private void configure(Configuration config) {
        Optional<ServerOptions> options = Optional.empty();
        ServerStartException problem = null;
        if (config.enabled()) {
            try {
                options = Optional.of(optionsOf(config));
            } catch (IllegalArgumentException e) { // includes InvalidPathException
                problem = new ServerStartException(
                        ServerStartException.Reason.OTHER,
                        "The embedded-chat configuration " + PID + " is invalid: " + e.getMessage(),
                        e);
            }
        }
        synchronized (monitor) {
            desired = options;
            desiredProblem = problem;
        }
    }

    static ServerOptions optionsOf(Configuration config) {
        String root = config.workspaceRoot() == null || config.workspaceRoot().isBlank()
                ? System.getProperty("user.dir")
                : config.workspaceRoot();
        Path workspace = Path.of(root).toAbsolutePath().normalize();
        String stateDir = config.stateDir() == null || config.stateDir().isBlank() ? ".heddle" : config.stateDir();
        Path state = workspace.resolve(stateDir).normalize();
        ServerOptions options = new ServerOptions(
                ServerMode.EMBEDDED_CHAT,
                config.host(),
                config.port(),
                workspace,
                state,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                config.ownership());
        if (!blank(config.assetsDir())) {
            options = options.withAssetsDir(Path.of(config.assetsDir()));
        }
        if (!blank(config.serverId())) {
            options = options.withServerId(config.serverId());
        }
        if (!blank(config.registryPath())) {
            options = options.withRegistryPath(Path.of(config.registryPath()));
        }
        return options;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private void reconcileLater() {
        synchronized (monitor) {
            wanted++;
        }
        try {
            worker.execute(this::reconcile);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // deactivate queued the last reconcile already
        }
    }

    /** On the worker: make the running server match what is wanted now. */
    private void reconcile() {
        ControlPlaneLifecycle service;
        Optional<ServerOptions> options;
        ServerStartException problem;
        long generation;
        synchronized (monitor) {
            service = active ? lifecycle : null;
            options = active ? desired : Optional.empty();
            problem = active ? desiredProblem : null;
            generation = wanted;
        }
        Running current;
        synchronized (monitor) {
            current = running;
        }
        if (current != null) {
            boolean keep = !current.handle().closed()
                    && service == current.lifecycle()
                    && options.isPresent()
                    && options.get().equals(current.options());
            if (!keep) {
                String reason = current.handle().closed()
                        ? "closed"
                        : service == null
                                ? "the lifecycle service went away"
                                : service != current.lifecycle()
                                        ? "the lifecycle service was replaced"
                                        : options.isEmpty() ? "disabled" : "reconfigured";
                close(current, reason);
                synchronized (monitor) {
                    running = null;
                }
                current = null;
            }
        }
        ServerStartException failure = null;
        if (current == null && service != null && options.isPresent()) {
            failure = start(service, options.get());
        } else if (current == null && problem != null) {
            failure = problem;
            LOG.error(problem.getMessage());
            postFailure(problem);
        }
        synchronized (monitor) {
            lastFailure = running == null ? failure : null;
            settled = generation;
            monitor.notifyAll();
        }
    }

    private ServerStartException start(ControlPlaneLifecycle service, ServerOptions options) {
        ServerHandle handle;
        try {
            handle = service.start(options);
        } catch (ServerStartException e) {
            LOG.error("The embedded-chat server did not start: {}", e.getMessage());
            postFailure(e);
            return e;
        } catch (RuntimeException e) {
            ServerStartException failure = new ServerStartException(
                    ServerStartException.Reason.OTHER, "The embedded-chat server did not start: " + e, e);
            LOG.error(failure.getMessage(), e);
            postFailure(failure);
            return failure;
        }
        Running started = new Running(handle, service, options);
        // Nobody else hosts this server: a shutdown request (POST /api/admin/shutdown) closes it,
        // and it stays closed until the configuration changes. A launcher may set its own listener.
        handle.onShutdownRequest(() -> {
            synchronized (monitor) {
                desired = Optional.empty();
            }
            reconcileLater();
        });
        synchronized (monitor) {
            running = started;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("serverId", handle.serverId());
        props.put("endpoint", handle.endpointUrl());
        props.put("workspaceRoot", handle.workspaceRoot().toString());
        events.post(ChatTopics.SERVER_STARTED, props);
        LOG.info("Embedded-chat server {} listening at {}", handle.serverId(), handle.endpointUrl());
        return null;
    }

    private void close(Running current, String reason) {
        try {
            current.handle().close();
        } catch (RuntimeException e) {
            LOG.warn(
                    "Closing the embedded-chat server {} ({}) failed: {}",
                    current.handle().serverId(),
                    reason,
                    e.getMessage());
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("serverId", current.handle().serverId());
        props.put("reason", reason);
        events.post(ChatTopics.SERVER_STOPPED, props);
        LOG.info("Embedded-chat server {} stopped: {}", current.handle().serverId(), reason);
    }

    private void postFailure(ServerStartException e) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("reason", e.reason().name());
        props.put("message", e.getMessage());
        events.post(ChatTopics.SERVER_START_FAILED, props);
    }

    // --- EmbeddedChatHost ---

    @Override
    public Optional<ServerHandle> server() {
        synchronized (monitor) {
            return running == null || running.handle().closed() ? Optional.empty() : Optional.of(running.handle());
        }
    }

    @Override
    public Optional<ServerStartException> lastFailure() {
        synchronized (monitor) {
            return Optional.ofNullable(lastFailure);
        }
    }

    @Override
    public Optional<ServerHandle> awaitServer(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (true) {
                Optional<ServerHandle> now = server();
                if (now.isPresent() || (settled == wanted && lastFailure != null)) {
                    return now;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
    }
}
