package io.heddle.itest.support;

import io.heddle.api.extensions.ExtensionCatalog;
import io.heddle.api.extensions.ExtensionStatus;
import io.heddle.api.lifecycle.ControlPlaneLifecycle;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerOptions;
import io.heddle.api.registry.ServerMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.DTOConstants;
import org.osgi.service.servlet.runtime.dto.RequestInfoDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base class of an in-container test: before each test a Heddle server is started through the
 * lifecycle (loopback, a free port, a fresh workspace), after it the server is closed. A test
 * talks to it with {@link #get}, {@link #send} (the token is sent for you) and hot-deploys
 * jars with {@link #deploy} and {@link #undeploy}.
 *
 * <pre>
 * &#64;RunWith(PaxExam.class)
 * &#64;ExamReactorStrategy(PerClass.class)
 * public class MyExtensionIT extends HeddleTestSupport {
 *     &#64;Configuration
 *     public Option[] config() {
 *         return HeddlePlatform.options(HeddlePlatform.newHome("my-extension"));
 *     }
 *
 *     &#64;Test
 *     public void answers() throws Exception {
 *         deploy(Path.of("target/my-extension.jar"));
 *         assertEquals(200, get("/api/ext/mine").status);
 *     }
 * }
 * </pre>
 */
public abstract class HeddleTestSupport {

    /** How long the helpers wait for an asynchronous effect before they fail. */
    protected static final Duration DEADLINE = Duration.ofSeconds(20);

    private final Map<Class<?>, ServiceTracker<?, ?>> trackers = new ConcurrentHashMap<>();
    private ServerHandle server;

    /** The test bundle's context (the test runs inside the container). */
    protected BundleContext context() {
        return FrameworkUtil.getBundle(getClass()).getBundleContext();
    }

    /** {@code HEDDLE_HOME} of this container. */
    protected Path home() {
        return Path.of(context().getProperty("heddle.home"));
    }

    /** What to start before each test; override to change it. */
    protected ServerOptions serverOptions(Path workspace) {
        return ServerOptions.of(ServerMode.DAEMON, "127.0.0.1", 0, workspace);
    }

    @Before
    public final void startHeddleServer() throws Exception {
        Path workspace = Files.createTempDirectory(home(), "workspace-");
        server = service(ControlPlaneLifecycle.class).start(serverOptions(workspace));
    }

    @After
    public final void closeHeddleServer() {
        try {
            if (server != null) {
                server.close();
                server = null;
            }
        } finally {
            trackers.values().forEach(ServiceTracker::close);
            trackers.clear();
        }
    }

    /** The server started for this test. */
    protected ServerHandle server() {
        return server;
    }

    /** The server's access token (sent by {@link #send} for you). */
    protected String token() {
        return server.token();
    }

    /** {@code GET path} on the server. */
    protected RawHttp.Response get(String path) throws IOException {
        return RawHttp.get(server.port(), path);
    }

    /** A request with the token; a non-null body is sent as JSON. */
    protected RawHttp.Response send(String method, String path, String jsonBody) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + server.token());
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
        }
        return RawHttp.send(
                server.port(),
                method,
                path,
                headers,
                jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A service, waiting for it up to {@link #DEADLINE}. The service stays in use until the test
     * ends (a service factory's object is only valid while it is).
     */
    protected <T> T service(Class<T> type) throws InterruptedException {
        @SuppressWarnings("unchecked")
        ServiceTracker<T, T> tracker = (ServiceTracker<T, T>) trackers.computeIfAbsent(type, t -> {
            ServiceTracker<T, T> opened = new ServiceTracker<>(context(), type, null);
            opened.open();
            return opened;
        });
        T service = tracker.waitForService(DEADLINE.toMillis());
        if (service == null) {
            throw new AssertionError("No " + type.getName() + " service within " + DEADLINE.toSeconds() + " s");
        }
        return service;
    }

    /** The watched extensions folder. */
    protected Path extensionsFolder() throws InterruptedException {
        return service(ExtensionCatalog.class).folder();
    }

    /** What {@code /api/extensions} says of one jar, if the folder's watcher knows it. */
    protected Optional<ExtensionStatus> extension(String fileName) throws InterruptedException {
        return service(ExtensionCatalog.class).extensions().stream()
                .filter(e -> e.file().equals(fileName))
                .findFirst();
    }

    /**
     * Hot-deploys a jar the safe way (copy under a hidden name, then an atomic rename) and
     * waits until its bundle is active.
     *
     * @return the jar's path in the extensions folder
     */
    protected Path deploy(Path jar) throws IOException, InterruptedException {
        return deploy(jar, jar.getFileName().toString());
    }

    /** Like {@link #deploy(Path)}, under another file name. */
    protected Path deploy(Path jar, String fileName) throws IOException, InterruptedException {
        Path folder = extensionsFolder();
        // A hidden, non-.jar name: the watcher never looks at it, and the move is atomic.
        Path staged = Files.createTempFile(folder, "." + fileName + "-", ".part");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        Path target = folder.resolve(fileName);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        awaitActive(fileName);
        return target;
    }

    /**
     * Waits until the bundle of a jar of the folder is active with no problem reported, its
     * Declarative Services components have been processed, and the servlets it registered are
     * attached to the HTTP runtime, which resolves their exact patterns to them (each happens a
     * moment after the one before).
     */
    protected void awaitActive(String fileName) throws InterruptedException {
        Poll.until(
                fileName + " is deployed and active",
                DEADLINE,
                () -> extensionQuietly(fileName)
                        .map(e -> e.state().equals("ACTIVE") && e.error().isEmpty())
                        .orElse(false));
        long bundleId =
                extensionQuietly(fileName).flatMap(ExtensionStatus::bundleId).orElseThrow();
        ServiceComponentRuntime components = service(ServiceComponentRuntime.class);
        Poll.until(
                "the components of " + fileName + " are processed",
                DEADLINE,
                () -> componentsProcessed(components, bundleId));
        Poll.until("the servlets of " + fileName + " are attached", DEADLINE, () -> servletsAttached(bundleId));
    }

    /** Whether the component runtime has processed every component a bundle declares and registered its services. */
    private boolean componentsProcessed(ServiceComponentRuntime components, long bundleId) {
        Bundle bundle = context().getBundle(bundleId);
        if (bundle == null || bundle.getHeaders().get("Service-Component") == null) {
            return true;
        }
        Collection<ComponentDescriptionDTO> descriptions = components.getComponentDescriptionDTOs(bundle);
        if (descriptions.isEmpty()) {
            return false;
        }
        for (ComponentDescriptionDTO description : descriptions) {
            if (!description.defaultEnabled) {
                continue; // enabled on purpose later, if ever
            }
            if (!components.isComponentEnabled(description)) {
                return false; // the runtime enables a bundle's components one after the other
            }
            Collection<ComponentConfigurationDTO> configurations =
                    components.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty() && !"require".equals(description.configurationPolicy)) {
                return false;
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                boolean satisfied = configuration.state == ComponentConfigurationDTO.SATISFIED
                        || configuration.state == ComponentConfigurationDTO.ACTIVE;
                if (satisfied && description.serviceInterfaces.length > 0 && configuration.service == null) {
                    return false; // satisfied, but its service is not registered yet
                }
            }
        }
        return true;
    }

    /** Whether every servlet service of a bundle is served (or has failed for good) in every HTTP runtime. */
    private boolean servletsAttached(long bundleId) {
        Bundle bundle = context().getBundle(bundleId);
        ServiceReference<?>[] services = bundle == null ? null : bundle.getRegisteredServices();
        if (services == null) {
            return true;
        }
        Set<Long> servletIds = new HashSet<>();
        for (ServiceReference<?> service : services) {
            if (service.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN) != null) {
                servletIds.add((Long) service.getProperty(Constants.SERVICE_ID));
            }
        }
        if (servletIds.isEmpty()) {
            return true;
        }
        try {
            Collection<ServiceReference<HttpServiceRuntime>> runtimes =
                    context().getServiceReferences(HttpServiceRuntime.class, null);
            if (runtimes.isEmpty()) {
                return false; // no runtime lists them yet
            }
            for (ServiceReference<HttpServiceRuntime> runtime : runtimes) {
                HttpServiceRuntime http = context().getService(runtime);
                if (http == null) {
                    continue;
                }
                try {
                    RuntimeDTO dto = http.getRuntimeDTO();
                    Set<Long> known = new HashSet<>();
                    Arrays.stream(dto.servletContextDTOs)
                            .flatMap(c -> Arrays.stream(c.servletDTOs))
                            .forEach(s -> known.add(s.serviceId));
                    // A servlet that failed for good counts as attached (its test will see the failure); one
                    // shadowed by another servlet of its pattern (typically the one being replaced) does not.
                    Arrays.stream(dto.failedServletDTOs)
                            .filter(s -> s.failureReason != DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE)
                            .forEach(s -> known.add(s.serviceId));
                    if (!known.containsAll(servletIds)) {
                        return false;
                    }
                    // Listed is not yet routed: the runtime's own resolution of each exact pattern (what a
                    // request to it would reach) must name the servlet, as dispatch will.
                    for (ServletContextDTO servletContext : dto.servletContextDTOs) {
                        for (ServletDTO servlet : servletContext.servletDTOs) {
                            if (servletIds.contains(servlet.serviceId) && !routedHere(http, servlet)) {
                                return false;
                            }
                        }
                    }
                } finally {
                    context().ungetService(runtime);
                }
            }
            return true;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the runtime resolves each exact (wildcard-free) pattern of a servlet to that servlet. */
    private static boolean routedHere(HttpServiceRuntime http, ServletDTO servlet) {
        for (String pattern : servlet.patterns) {
            if (pattern.isEmpty() || pattern.contains("*")) {
                continue;
            }
            RequestInfoDTO route = http.calculateRequestInfoDTO(pattern);
            if (route == null || route.servletDTO == null || route.servletDTO.serviceId != servlet.serviceId) {
                return false;
            }
        }
        return true;
    }

    /** Removes a jar from the folder and waits until the watcher has forgotten it. */
    protected void undeploy(String fileName) throws IOException, InterruptedException {
        Files.deleteIfExists(extensionsFolder().resolve(fileName));
        Poll.until(
                fileName + " is undeployed",
                DEADLINE,
                () -> extensionQuietly(fileName).isEmpty());
    }

    private Optional<ExtensionStatus> extensionQuietly(String fileName) {
        try {
            return extension(fileName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
