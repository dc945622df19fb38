package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionProblem;
import io.heddle.api.extensions.ExtensionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.DTOConstants;
import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;

/**
 * Builds what {@code /api/extensions} shows for each jar: the deployer's record, the bundle's
 * live state, what it contributes, and the first problem found, looking in this order at the
 * deploy step, its Declarative Services components, its servlets' registration, and the
 * requests its servlets failed to answer.
 */
final class ExtensionStatuses {

    private static final Set<String> START_PROBLEMS = Set.of("unresolved", "start_failed");

    private final BundleContext context;
    private final Supplier<Optional<ServiceComponentRuntime>> components;
    private final Supplier<List<HttpServiceRuntime>> httpRuntimes;
    private final RequestFailures requestFailures;

    ExtensionStatuses(
            BundleContext context,
            Supplier<Optional<ServiceComponentRuntime>> components,
            Supplier<List<HttpServiceRuntime>> httpRuntimes,
            RequestFailures requestFailures) {
        this.context = context;
        this.components = components;
        this.httpRuntimes = httpRuntimes;
        this.requestFailures = requestFailures;
    }

    List<ExtensionStatus> of(Iterable<ExtensionEntry> entries) {
        List<ExtensionStatus> statuses = new ArrayList<>();
        List<RuntimeDTO> http = runtimeDtos();
        for (ExtensionEntry entry : entries) {
            Bundle bundle = entry.bundleId().map(context::getBundle).orElse(null);
            ExtensionStatus status = null;
            if (bundle != null) {
                try {
                    status = live(entry, bundle, http);
                } catch (IllegalStateException uninstalledMeanwhile) {
                    // the deployer is removing it right now: describe the jar alone
                }
            }
            statuses.add(
                    status != null
                            ? status
                            : new ExtensionStatus(
                                    entry.file(),
                                    entry.symbolicName(),
                                    entry.version(),
                                    Optional.empty(),
                                    ExtensionStatus.NOT_INSTALLED,
                                    entry.problem(),
                                    List.of(),
                                    List.of()));
        }
        statuses.sort(Comparator.comparing(ExtensionStatus::file));
        return statuses;
    }

    private ExtensionStatus live(ExtensionEntry entry, Bundle bundle, List<RuntimeDTO> http) {
        if (bundle.getState() == Bundle.UNINSTALLED) {
            return null;
        }
        Optional<ExtensionProblem> problem = entry.problem()
                .filter(p -> !(bundle.getState() == Bundle.ACTIVE && START_PROBLEMS.contains(p.code())))
                .or(() -> componentProblem(bundle))
                .or(() -> servletRegistrationProblem(bundle, http))
                .or(() -> requestFailures.problem(bundle.getBundleId()));
        return new ExtensionStatus(
                entry.file(),
                Optional.ofNullable(bundle.getSymbolicName()),
                Optional.of(bundle.getVersion().toString()),
                Optional.of(bundle.getBundleId()),
                stateName(bundle),
                problem,
                Contributions.servletPatterns(bundle),
                Contributions.runners(bundle));
    }

    private List<RuntimeDTO> runtimeDtos() {
        List<RuntimeDTO> dtos = new ArrayList<>();
        for (HttpServiceRuntime runtime : httpRuntimes.get()) {
            try {
                dtos.add(runtime.getRuntimeDTO());
            } catch (RuntimeException goneMeanwhile) {
                // an HTTP instance that closed while we asked has nothing to say
            }
        }
        return dtos;
    }

    /**
     * The component problem of a bundle that was just started, once the component runtime has
     * processed it (it enables a bundle's components asynchronously, one after the other), or
     * after {@code deadline}.
     */
    Optional<ExtensionProblem> componentProblemAfterStart(Bundle bundle, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        try {
            while (!componentsProcessed(bundle) && System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return componentProblem(bundle);
    }

    /** Whether the component runtime has enabled every component a bundle declares (and so tried to activate the immediate ones). */
    private boolean componentsProcessed(Bundle bundle) {
        Optional<ServiceComponentRuntime> scr = components.get();
        if (scr.isEmpty()
                || bundle.getState() != Bundle.ACTIVE
                || bundle.getHeaders().get("Service-Component") == null) {
            return true;
        }
        Collection<ComponentDescriptionDTO> descriptions = scr.get().getComponentDescriptionDTOs(bundle);
        if (descriptions.isEmpty()) {
            return false;
        }
        for (ComponentDescriptionDTO description : descriptions) {
            if (description.defaultEnabled
                    && (!scr.get().isComponentEnabled(description)
                            || (scr.get()
                                            .getComponentConfigurationDTOs(description)
                                            .isEmpty()
                                    && !"require".equals(description.configurationPolicy)))) {
                return false;
            }
        }
        return true;
    }

    Optional<ExtensionProblem> componentProblem(Bundle bundle) {
        Optional<ServiceComponentRuntime> scr = components.get();
        if (scr.isEmpty()) {
            return Optional.empty();
        }
        for (ComponentDescriptionDTO description : scr.get().getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : scr.get().getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return Optional.of(new ExtensionProblem(
                            "component_failed",
                            "Component " + description.name + " failed to activate: "
                                    + firstLine(configuration.failure)));
                }
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    String missing = Arrays.stream(configuration.unsatisfiedReferences)
                            .map(ExtensionStatuses::describe)
                            .collect(Collectors.joining(", "));
                    return Optional.of(new ExtensionProblem(
                            "component_failed",
                            "Component " + description.name + " is waiting for " + missing
                                    + ", which no bundle offers."));
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(UnsatisfiedReferenceDTO reference) {
        return "the service of reference '" + reference.name + "'"
                + (reference.target == null || reference.target.isBlank() ? "" : " " + reference.target);
    }

    private Optional<ExtensionProblem> servletRegistrationProblem(Bundle bundle, List<RuntimeDTO> runtimes) {
        ServiceReference<?>[] registered = bundle.getRegisteredServices();
        if (registered == null || runtimes.isEmpty()) {
            return Optional.empty();
        }
        Set<Long> serviceIds = Arrays.stream(registered)
                .map(r -> (Long) r.getProperty(org.osgi.framework.Constants.SERVICE_ID))
                .collect(Collectors.toSet());
        for (RuntimeDTO runtime : runtimes) {
            for (FailedServletDTO failed : runtime.failedServletDTOs) {
                if (serviceIds.contains(failed.serviceId)) {
                    return Optional.of(new ExtensionProblem(
                            "servlet_failed",
                            "Servlet " + failed.name + " "
                                    + Arrays.toString(failed.patterns) + " could not be registered: "
                                    + reason(failed.failureReason)));
                }
            }
        }
        return Optional.empty();
    }

    private static String reason(int failureReason) {
        switch (failureReason) {
            case DTOConstants.FAILURE_REASON_EXCEPTION_ON_INIT:
                return "its init() threw";
            case DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE:
                return "its service could not be obtained (did its component fail to activate?)";
            case DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE:
                return "another servlet already serves its pattern";
            case DTOConstants.FAILURE_REASON_VALIDATION_FAILED:
                return "its whiteboard properties are invalid";
            case DTOConstants.FAILURE_REASON_SERVICE_IN_USE:
                return "its service is already in use";
            case DTOConstants.FAILURE_REASON_NO_SERVLET_CONTEXT_MATCHING:
                return "no servlet context matches its context selection (select the heddle context)";
            case DTOConstants.FAILURE_REASON_SERVLET_CONTEXT_FAILURE:
                return "its servlet context failed";
            default:
                return "reason " + failureReason;
        }
    }

    static String stateName(Bundle bundle) {
        switch (bundle.getState()) {
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            case Bundle.STOPPING:
                return "STOPPING";
            default:
                return "UNINSTALLED";
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "(no detail)";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }
}
