package io.heddle.http.internal;

import static io.heddle.storage.internal.JsonFields.format;
import static io.heddle.storage.internal.JsonFields.text;

import io.heddle.api.heartbeat.HeartbeatTasks;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.WorkspaceEntry;
import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.jsonhttp.internal.HttpProblem;
import io.heddle.records.internal.RecordJson;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The workspace calls: {@code GET|POST /api/workspaces}, {@code PATCH /api/workspaces/{id}},
 * {@code PUT /api/workspaces/active}. Task calls under {@code /api/workspaces/{id}/heartbeat/}
 * go to {@link HeartbeatTaskEndpoint} (a servlet pattern cannot hold the id wildcard), backed
 * by the {@link HeartbeatTasks} service; without it they answer 503.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/workspaces", "/api/workspaces/*"})
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class WorkspacesServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient WorkspaceCatalog catalog;
    private final transient DaemonRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile HeartbeatTasks heartbeatTasks;

    @Activate
    public WorkspacesServlet(@Reference WorkspaceCatalog catalog, @Reference DaemonRegistry registry) {
        this.catalog = catalog;
        this.registry = registry;
    }

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, IOException {
        String rest = request.getPathInfo();
        if (rest == null || rest.equals("/") || rest.isEmpty()) {
            switch (method) {
                case "GET":
                case "HEAD":
                    return list(server);
                case "POST":
                    response.setStatus(201);
                    return create(server, readObject(request));
                default:
                    throw HttpProblem.methodNotAllowed(method, "GET or POST");
            }
        }
        String[] segments = rest.substring(1).split("/", -1);
        if (segments.length >= 2 && segments[1].equals("heartbeat")) {
            return heartbeat(server, segments, method, request, response);
        }
        if (segments.length == 1 && segments[0].equals("active")) {
            if (!method.equals("PUT")) {
                throw HttpProblem.methodNotAllowed(method, "PUT");
            }
            return setActive(server, readObject(request));
        }
        if (segments.length == 1 && !segments[0].isEmpty()) {
            String id = segments[0];
            switch (method) {
                case "GET":
                case "HEAD":
                    return RecordJson.workspace(catalog.resolve(server.stateRoot(), id)
                            .orElseThrow(() -> HttpProblem.notFound("No workspace with id " + id + ".")));
                case "PATCH":
                    return rename(server, id, readObject(request));
                default:
                    throw HttpProblem.methodNotAllowed(method, "GET or PATCH");
            }
        }
        throw HttpProblem.notFound("No such workspace resource: " + request.getRequestURI());
    }

    private Object heartbeat(
            ServerHandle server,
            String[] segments,
            String method,
            HttpServletRequest request,
            HttpServletResponse response)
            throws HttpProblem, IOException {
        String id = segments[0];
        WorkspaceDescriptor workspace = catalog.resolve(server.stateRoot(), id)
                .orElseThrow(() -> HttpProblem.notFound("No workspace with id " + id + "."));
        HeartbeatTasks tasks = heartbeatTasks;
        if (tasks == null) {
            throw HttpProblem.notReady("The heartbeat task service is not running on this server.");
        }
        return HeartbeatTaskEndpoint.handle(
                tasks, workspace, method, Arrays.asList(segments).subList(2, segments.length), request, response);
    }

    private Map<String, Object> list(ServerHandle server) {
        CatalogSnapshot snapshot = catalog.read(server.stateRoot());
        Map<String, Object> body = catalogJson(snapshot);
        RegistrySnapshot known = registryOf(server).read();
        List<Object> entries = new ArrayList<>();
        for (WorkspaceEntry entry : known.workspaces()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("workspace", RecordJson.workspace(entry.workspace()));
            e.put("updatedAt", format(entry.updatedAt()));
            entries.add(e);
        }
        body.put("knownWorkspaces", entries);
        return body;
    }

    private Map<String, Object> create(ServerHandle server, Map<String, Object> body) throws HttpProblem {
        String root = text(body, "workspaceRoot");
        if (root == null) {
            throw HttpProblem.badRequest("Field 'workspaceRoot' is required: the absolute path of an existing folder.");
        }
        Path path;
        try {
            path = Path.of(root);
        } catch (InvalidPathException e) {
            throw HttpProblem.badRequest("Field 'workspaceRoot' is not a valid path: " + e.getMessage());
        }
        if (!path.isAbsolute() || !Files.isDirectory(path)) {
            throw HttpProblem.badRequest(
                    "Field 'workspaceRoot' must be the absolute path of an existing folder: " + root);
        }
        Object name = body.get("name");
        if (name != null && !(name instanceof String)) {
            throw HttpProblem.badRequest("Field 'name' must be a string.");
        }
        String stateDir = server.stateRoot().getFileName() == null
                ? ".heddle"
                : server.stateRoot().getFileName().toString();
        WorkspaceDescriptor created = catalog.create(server.stateRoot(), path, (String) name, stateDir);
        registryOf(server).registerWorkspaces(List.of(created));
        return RecordJson.workspace(created);
    }

    /** {@code PATCH}: {@code name} renames; {@code workspaceKey} sets the task store key (null clears it). */
    private Map<String, Object> rename(ServerHandle server, String id, Map<String, Object> body) throws HttpProblem {
        boolean hasName = body.containsKey("name");
        boolean hasKey = body.containsKey("workspaceKey");
        if (!hasName && !hasKey) {
            throw HttpProblem.badRequest(
                    "Give 'name' (to rename) or 'workspaceKey' (to set the task store key; null" + " clears it).");
        }
        String name = text(body, "name");
        if (hasName && name == null) {
            throw HttpProblem.badRequest("Field 'name' is required and must be a non-empty string.");
        }
        if (hasName && name.length() > 200) {
            throw HttpProblem.badRequest("Field 'name' must be at most 200 characters.");
        }
        Object rawKey = body.get("workspaceKey");
        String key = null;
        if (hasKey && rawKey != null) {
            if (!(rawKey instanceof String s) || s.isBlank()) {
                throw HttpProblem.invalidField(
                        "workspaceKey",
                        "Field 'workspaceKey' must be a non-empty string, or"
                                + " null to derive the key from the folder again.");
            }
            key = s.strip();
            if (key.length() > 200 || key.chars().anyMatch(Character::isISOControl)) {
                throw HttpProblem.invalidField(
                        "workspaceKey",
                        "Field 'workspaceKey' must be at most 200 characters," + " without control characters.");
            }
        }
        try {
            WorkspaceDescriptor changed = null;
            if (hasName) {
                changed = catalog.rename(server.stateRoot(), id, name.trim());
            }
            if (hasKey) {
                changed = catalog.setWorkspaceKey(server.stateRoot(), id, key);
            }
            registryOf(server).registerWorkspaces(List.of(changed));
            return RecordJson.workspace(changed);
        } catch (NoSuchElementException e) {
            throw HttpProblem.notFound("No workspace with id " + id + ".");
        }
    }

    private Map<String, Object> setActive(ServerHandle server, Map<String, Object> body) throws HttpProblem {
        String id = text(body, "workspaceId");
        if (id == null) {
            throw HttpProblem.badRequest("Field 'workspaceId' is required.");
        }
        try {
            return catalogJson(catalog.setActive(server.stateRoot(), id));
        } catch (NoSuchElementException e) {
            throw HttpProblem.notFound("No workspace with id " + id + ".");
        }
    }

    private DaemonRegistry registryOf(ServerHandle server) {
        return server.registryPath().equals(registry.path()) ? registry : registry.forFile(server.registryPath());
    }

    private static Map<String, Object> catalogJson(CatalogSnapshot snapshot) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activeWorkspaceId", snapshot.activeWorkspaceId());
        List<Object> list = new ArrayList<>();
        snapshot.workspaces().forEach(w -> list.add(RecordJson.workspace(w)));
        body.put("workspaces", list);
        return body;
    }
}
