package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionCatalog;
import io.heddle.api.extensions.ExtensionStatus;
import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@code io.heddle.extensions} configuration and the extensions folder. On
 * activation it reconciles the installed extensions with the folder, hands the folder's jars
 * to {@link ExtensionDeployer} through FileInstall, and offers {@link ExtensionCatalog}. A
 * changed configuration restarts the component, and so the watcher.
 */
@Component(service = ExtensionCatalog.class, immediate = true, configurationPid = ExtensionsConfiguration.PID)
@Designate(ocd = ExtensionsConfiguration.class)
public final class ExtensionsComponent implements ExtensionCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ExtensionsComponent.class);
    /** How long a deploy waits for Declarative Services to process a started extension. */
    private static final Duration COMPONENTS_DEADLINE = Duration.ofSeconds(2);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime componentRuntime;

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<HttpServiceRuntime> httpRuntimes = new CopyOnWriteArrayList<>();

    private final BundleContext context;
    private final ExtensionDeployer deployer;
    private final ExtensionStatuses statuses;
    private final ServiceRegistration<ArtifactInstaller> installerRegistration;
    private final Filter failureFilter;
    private final org.osgi.framework.ServiceListener servletListener = event -> updateFailureFilter();
    private final Object filterLock = new Object();
    /** Registered only while extensions contribute servlets, on their patterns only (core requests skip it). */
    private ServiceRegistration<Filter> filterRegistration;

    private java.util.Set<String> filterPatterns = java.util.Set.of();
    private boolean filterClosed;
    private final FileInstallWatch watch;
    private final FrameworkListener frameworkListener;

    @Activate
    public ExtensionsComponent(
            BundleContext context, ExtensionsConfiguration config, @Reference ConfigurationAdmin configAdmin)
            throws IOException {
        this.context = context;
        ExtensionsFolder settings = ExtensionsFolder.resolve(config.dir(), config.pollMs(), context::getProperty);
        Files.createDirectories(settings.dir());
        Path folder = settings.dir().toRealPath();
        Path data = context.getDataFile("").toPath();
        RequestFailures requestFailures = new RequestFailures();
        statuses = new ExtensionStatuses(
                context, () -> Optional.ofNullable(componentRuntime), () -> List.copyOf(httpRuntimes), requestFailures);
        deployer = new ExtensionDeployer(
                context,
                folder,
                data.resolve("staging"),
                new InstalledIndex(data.resolve("installed.properties")),
                this::post,
                ExtensionDeployer.Settling.pauseOf(settings.poll()),
                requestFailures::forget,
                bundle -> statuses.componentProblemAfterStart(bundle, COMPONENTS_DEADLINE));

        frameworkListener = deployer::frameworkEvent;
        context.addFrameworkListener(frameworkListener);
        deployer.reconcileAtStart();
        // The installer is registered before the watcher exists, so FileInstall never handles
        // one of the folder's jars with its own bundle rules.
        installerRegistration =
                context.registerService(ArtifactInstaller.class, new FolderArtifactInstaller(deployer), null);
        failureFilter = new RequestFailureFilter(
                this::extensionServing,
                requestFailures,
                bundleId -> requestFailures.problem(bundleId).ifPresent(p -> deployer.postFailure(bundleId, p)),
                Clock.systemUTC());
        try {
            context.addServiceListener(
                    servletListener, "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=*)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        updateFailureFilter();
        FileInstallWatch started;
        try {
            started = FileInstallWatch.start(configAdmin, folder, settings.poll(), data.resolve("fileinstall-tmp"));
        } catch (IOException | RuntimeException e) {
            closeFailureFilter();
            installerRegistration.unregister();
            context.removeFrameworkListener(frameworkListener);
            throw e;
        }
        watch = started;
        LOG.info(
                "Watching {} for extensions every {} ms",
                folder,
                settings.poll().toMillis());
    }

    @Deactivate
    void deactivate() {
        deployer.close();
        // The installer stays registered until FileInstall's watcher is gone, for the same reason.
        watch.close();
        closeFailureFilter();
        installerRegistration.unregister();
        context.removeFrameworkListener(frameworkListener);
    }

    @Override
    public Path folder() {
        return deployer.folder();
    }

    @Override
    public List<ExtensionStatus> extensions() {
        return statuses.of(deployer.entries().values());
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin events = eventAdmin;
        if (events != null) {
            events.postEvent(new Event(topic, properties));
        }
    }

    /** The extension bundle whose servlet serves a path (the best match), if any. */
    private Optional<Bundle> extensionServing(String path) {
        Bundle best = null;
        int bestStrength = -1;
        for (ExtensionEntry entry : deployer.entries().values()) {
            Bundle bundle = entry.bundleId().map(context::getBundle).orElse(null);
            if (bundle == null) {
                continue;
            }
            for (String pattern : Contributions.servletPatterns(bundle)) {
                int strength = Contributions.matchStrength(pattern, path);
                if (strength > bestStrength) {
                    best = bundle;
                    bestStrength = strength;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Keeps the failure filter on exactly the servlet patterns extensions contribute now, so that
     * core endpoints never pass through it; unregistered while no extension has a servlet.
     */
    private void updateFailureFilter() {
        java.util.Set<String> patterns = new java.util.TreeSet<>();
        for (ExtensionEntry entry : deployer.entries().values()) {
            Bundle bundle = entry.bundleId().map(context::getBundle).orElse(null);
            if (bundle != null) {
                patterns.addAll(Contributions.servletPatterns(bundle));
            }
        }
        synchronized (filterLock) {
            if (filterClosed || patterns.equals(filterPatterns)) {
                return;
            }
            filterPatterns = patterns;
            if (patterns.isEmpty()) {
                if (filterRegistration != null) {
                    filterRegistration.unregister();
                    filterRegistration = null;
                }
            } else if (filterRegistration == null) {
                filterRegistration = context.registerService(Filter.class, failureFilter, filterProperties(patterns));
            } else {
                filterRegistration.setProperties(filterProperties(patterns));
            }
        }
    }

    private void closeFailureFilter() {
        context.removeServiceListener(servletListener);
        synchronized (filterLock) {
            filterClosed = true;
            if (filterRegistration != null) {
                try {
                    filterRegistration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // unregistered with the bundle
                }
                filterRegistration = null;
            }
        }
    }

    private static Dictionary<String, Object> filterProperties(java.util.Set<String> patterns) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME, "heddle-extension-failures");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN, patterns.toArray(new String[0]));
        properties.put(
                HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT,
                "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + ServerHandle.CONTEXT_NAME + ")");
        return properties;
    }
}
