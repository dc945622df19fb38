package io.heddle.http.internal;

import io.heddle.api.health.HealthContributor;
import io.heddle.api.health.HealthProblem;
import io.heddle.api.heartbeat.HeartbeatTasks;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
import io.heddle.records.internal.RecordJson;
import io.heddle.storage.internal.JsonFields;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/health}: {@code {"status":"ok","serverId":...}}, or, while a
 * {@link HealthContributor} names problems (a store that cannot be written),
 * {@code {"status":"degraded","serverId":...,"reasons":[{"source","path","message","since"}]}}
 * (still 200: the server answers). Both also carry {@code taskStore}: the heartbeat task store
 * in use (kind, location, the servers sharing it; never a secret). Contributors and the store
 * answer from memory, so this stays as fast as before: no disk I/O per request.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/health")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class HealthServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient List<HealthContributor> contributors = new CopyOnWriteArrayList<>();

    @Reference(
            service = HealthContributor.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeContributor")
    void addContributor(HealthContributor contributor) {
        contributors.add(contributor);
    }

    void removeContributor(HealthContributor contributor) {
        contributors.remove(contributor);
    }

    /** Where the heartbeat tasks are kept, shown always (not only when degraded). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile HeartbeatTasks heartbeatTasks;

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        List<Object> reasons = null;
        for (HealthContributor c : contributors) {
            List<HealthProblem> problems;
            try {
                problems = c.problems();
            } catch (RuntimeException e) {
                problems = List.of(new HealthProblem(
                        c.getClass().getName(), null, "Could not tell its health: " + e, Instant.now()));
            }
            for (HealthProblem p : problems) {
                if (reasons == null) {
                    reasons = new ArrayList<>();
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("source", p.source());
                r.put("path", p.path());
                r.put("message", p.message());
                r.put("since", JsonFields.format(p.since()));
                reasons.add(r);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reasons == null ? "ok" : "degraded");
        body.put("serverId", server.serverId());
        if (reasons != null) {
            body.put("reasons", reasons);
        }
        HeartbeatTasks tasks = heartbeatTasks;
        if (tasks != null) {
            body.put("taskStore", RecordJson.taskStore(tasks.store()));
        }
        return body;
    }
}
