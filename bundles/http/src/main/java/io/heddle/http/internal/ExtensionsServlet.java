package io.heddle.http.internal;

import io.heddle.api.extensions.ExtensionCatalog;
import io.heddle.api.extensions.ExtensionProblem;
import io.heddle.api.extensions.ExtensionStatus;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/extensions}: the extensions folder and, for each jar in it, the bundle it
 * became, its state, its problem if any, and what it contributes. 503 while the extensions
 * bundle is not running.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/extensions")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class ExtensionsServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile ExtensionCatalog catalog;

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        ExtensionCatalog extensions = catalog;
        if (extensions == null) {
            throw new HttpProblem(
                    503,
                    "not_ready",
                    "The extensions folder is not being watched: the " + "io.heddle.extensions bundle is not active.");
        }
        List<Object> list = new ArrayList<>();
        for (ExtensionStatus status : extensions.extensions()) {
            list.add(describe(status));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("folder", extensions.folder().toString());
        body.put("extensions", list);
        return body;
    }

    static Map<String, Object> describe(ExtensionStatus status) {
        Map<String, Object> contributes = new LinkedHashMap<>();
        contributes.put("servlets", new ArrayList<Object>(status.servlets()));
        contributes.put("runners", new ArrayList<Object>(status.runners()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", status.file());
        body.put("symbolicName", status.symbolicName().orElse(null));
        body.put("version", status.version().orElse(null));
        body.put("bundleId", status.bundleId().orElse(null));
        body.put("state", status.state());
        body.put("error", status.error().map(ExtensionsServlet::describe).orElse(null));
        body.put("contributes", contributes);
        return body;
    }

    private static Map<String, Object> describe(ExtensionProblem problem) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", problem.code());
        error.put("message", problem.message());
        return error;
    }
}
