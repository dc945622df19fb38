package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
import io.heddle.storage.internal.JsonTree;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 document of the API ({@link OpenApiDocument}),
 * with the paths of every active bundle that names an OpenAPI fragment in its
 * {@value #HEADER} manifest header (a resource path inside that bundle). Same access as every
 * other {@code GET} under {@code /api/}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/openapi.json")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class OpenApiServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OpenApiServlet.class);

    /** The manifest header an extension names its OpenAPI fragment with, e.g. {@code Heddle-OpenAPI: openapi.json}. */
    public static final String HEADER = "Heddle-OpenAPI";

    private final transient BundleContext context;
    /** Problems already logged, so a broken fragment is logged once per bundle version, not per request. */
    private final transient Set<String> logged = ConcurrentHashMap.newKeySet();

    @Activate
    public OpenApiServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        Map<String, Object> document = OpenApiDocument.core();
        for (Bundle bundle : context.getBundles()) {
            String resource =
                    bundle.getState() == Bundle.ACTIVE ? bundle.getHeaders("").get(HEADER) : null;
            if (resource != null && !resource.isBlank()) {
                contribute(document, bundle, resource.trim());
            }
        }
        return document;
    }

    private void contribute(Map<String, Object> document, Bundle bundle, String resource) {
        String source = bundle.getSymbolicName() + " " + bundle.getVersion() + " (" + HEADER + ": " + resource + ")";
        URL entry = bundle.getEntry(resource.startsWith("/") ? resource.substring(1) : resource);
        try {
            if (entry == null) {
                once(source + " names a resource the bundle does not hold");
                return;
            }
            Object fragment;
            try (InputStream in = entry.openStream()) {
                fragment = JsonTree.parse(in.readAllBytes());
            }
            OpenApiDocument.contribute(document, source, fragment).forEach(this::once);
        } catch (IOException | IllegalStateException e) {
            once(source + " cannot be read as JSON: " + e.getMessage());
        }
    }

    private void once(String problem) {
        if (logged.add(problem)) {
            LOG.warn("OpenAPI contribution skipped: {}", problem);
        }
    }
}
