package io.heddle.extensions.internal;

import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/** What a bundle contributes, read from the services it registered. */
final class Contributions {

    /** The service property that marks a heartbeat task runner and names its kind. */
    static final String RUNNER_PROPERTY = HeartbeatTaskRunner.KIND;

    private Contributions() {}

    static List<String> servletPatterns(Bundle bundle) {
        return values(bundle, HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN);
    }

    static List<String> runners(Bundle bundle) {
        return values(bundle, RUNNER_PROPERTY);
    }

    private static List<String> values(Bundle bundle, String property) {
        List<String> values = new ArrayList<>();
        ServiceReference<?>[] services;
        try {
            services = bundle.getRegisteredServices();
        } catch (IllegalStateException uninstalled) {
            return values;
        }
        if (services == null) {
            return values;
        }
        for (ServiceReference<?> service : services) {
            addAll(values, service.getProperty(property));
        }
        return values;
    }

    private static void addAll(List<String> values, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(String.valueOf(v)));
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(String.valueOf(Array.get(value, i)));
            }
        } else {
            values.add(String.valueOf(value));
        }
    }

    /**
     * How well a servlet pattern matches a path, by the servlet specification's rules: an exact
     * match beats the longest path prefix, which beats an extension match, which beats {@code /}.
     * Answers -1 for no match.
     */
    static int matchStrength(String pattern, String path) {
        if (pattern.equals(path)) {
            return Integer.MAX_VALUE;
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return 1_000 + prefix.length();
            }
            return -1;
        }
        if (pattern.startsWith("*.")) {
            return path.endsWith(pattern.substring(1)) ? 500 : -1;
        }
        if (pattern.equals("/")) {
            return 0;
        }
        return -1;
    }
}
