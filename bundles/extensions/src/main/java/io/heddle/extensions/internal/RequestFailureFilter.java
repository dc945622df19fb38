package io.heddle.extensions.internal;

import io.heddle.jsonhttp.internal.JsonResponses;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of every servlet of the {@code heddle} context. When an extension's servlet
 * throws, the failure is recorded for {@code /api/extensions} and the client gets the JSON error
 * shape instead of the container's error page. The platform's own servlets are left alone.
 */
final class RequestFailureFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestFailureFilter.class);

    private final Function<String, Optional<Bundle>> extensionServing;
    private final RequestFailures failures;
    private final LongConsumer firstFailure;
    private final Clock clock;

    /**
     * @param extensionServing the extension bundle whose servlet serves a path, if any
     * @param firstFailure     told the bundle id when one of its servlets fails for the first time
     */
    RequestFailureFilter(
            Function<String, Optional<Bundle>> extensionServing,
            RequestFailures failures,
            LongConsumer firstFailure,
            Clock clock) {
        this.extensionServing = extensionServing;
        this.failures = failures;
        this.firstFailure = firstFailure;
        this.clock = clock;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | LinkageError | AssertionError e) {
            HttpServletRequest http = (HttpServletRequest) request;
            String path = http.getRequestURI().substring(http.getContextPath().length());
            Optional<Bundle> extension = extensionServing.apply(path);
            if (extension.isEmpty()) {
                throw e;
            }
            String what = http.getMethod() + " " + path;
            Bundle bundle = extension.get();
            if (failures.record(bundle.getBundleId(), what, e, clock.instant())) {
                LOG.warn("Extension {} failed to answer {}: {}", bundle.getSymbolicName(), what, e.toString(), e);
                firstFailure.accept(bundle.getBundleId());
            } else {
                LOG.debug("Extension {} failed to answer {} again: {}", bundle.getSymbolicName(), what, e.toString());
            }
            JsonResponses.writeError(
                    (HttpServletResponse) response,
                    500,
                    "extension_failed",
                    "The extension " + bundle.getSymbolicName() + " failed to answer " + what + ": " + e);
        }
    }
}
