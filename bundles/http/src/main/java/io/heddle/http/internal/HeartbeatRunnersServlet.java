package io.heddle.http.internal;

import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/heartbeat/runners}: the runner kinds installed now, read from the
 * {@link HeartbeatTaskRunner} whiteboard services' {@value HeartbeatTaskRunner#KIND}
 * property. For a kind offered by several services, the one that runs its tasks (highest
 * ranking, then lowest service id) names the bundle.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/heartbeat/runners")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class HeartbeatRunnersServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient Map<ServiceReference<HeartbeatTaskRunner>, Boolean> runners = new ConcurrentHashMap<>();

    @Reference(
            service = HeartbeatTaskRunner.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeRunner")
    void addRunner(ServiceReference<HeartbeatTaskRunner> reference) {
        runners.put(reference, Boolean.TRUE);
    }

    void removeRunner(ServiceReference<HeartbeatTaskRunner> reference) {
        runners.remove(reference);
    }

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        // ServiceReference orders by ranking, then service id: the greatest one runs the kind.
        Map<String, ServiceReference<HeartbeatTaskRunner>> byKind = new TreeMap<>();
        for (ServiceReference<HeartbeatTaskRunner> reference : runners.keySet()) {
            Object kind = reference.getProperty(HeartbeatTaskRunner.KIND);
            if (!(kind instanceof String) || ((String) kind).isBlank()) {
                continue;
            }
            String name = ((String) kind).trim();
            ServiceReference<HeartbeatTaskRunner> known = byKind.get(name);
            if (known == null || reference.compareTo(known) > 0) {
                byKind.put(name, reference);
            }
        }
        List<Object> list = new ArrayList<>();
        byKind.forEach((kind, reference) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", kind);
            Bundle bundle = reference.getBundle();
            entry.put("bundle", bundle == null ? null : bundle.getSymbolicName());
            Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
            entry.put("ranking", ranking instanceof Integer ? ((Integer) ranking).longValue() : 0L);
            list.add(entry);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runners", list);
        return body;
    }
}
