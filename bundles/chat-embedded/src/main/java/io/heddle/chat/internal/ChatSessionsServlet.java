package io.heddle.chat.internal;

import static io.heddle.storage.internal.JsonFields.format;

import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatTopics;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.jsonhttp.internal.HttpProblem;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The chat calls, served by every Heddle server for the sessions of its own workspace:
 * {@code GET|POST /api/chat/sessions}, {@code GET|PATCH|DELETE /api/chat/sessions/{id}},
 * {@code GET|POST /api/chat/sessions/{id}/messages}, {@code DELETE /api/chat/sessions/{id}/lease},
 * {@code POST /api/chat/sessions/{id}/cancel} and {@code GET /api/chat/engines}.
 * {@code ?workspace=<id>} picks another workspace of the server's catalog.
 *
 * <p>A writer names itself with the {@value #CLIENT_HEADER} header; without it the writer is
 * the serving server ({@code server:<serverId>}). Another writer's fresh lease answers 409.
 */
@Component(service = Servlet.class, configurationPid = ChatSessionsServlet.PID)
@Designate(ocd = ChatSessionsServlet.Configuration.class)
@HttpWhiteboardServletPattern({"/api/chat/sessions", "/api/chat/sessions/*", ChatSessionsServlet.ENGINES_PATH})
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class ChatSessionsServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    static final String PID = "io.heddle.chat.sessions";
    static final String CLIENT_HEADER = "Heddle-Client-Id";
    static final String PROCESS_HEADER = "Heddle-Client-Process";
    static final String WORKSPACE_PARAMETER = "workspace";
    private static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    static final String ENGINES_PATH = "/api/chat/engines";
    static final String NDJSON = "application/x-ndjson";
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    @ObjectClassDefinition(
            name = "Heddle chat sessions",
            description = "Chat sessions stored in the workspace (<stateRoot>/chat/sessions).")
    @interface Configuration {
        @AttributeDefinition(
                description = "How long a writer keeps a session to itself after its last write, "
                        + "in milliseconds. Another writer gets 409 meanwhile.")
        long leaseMs() default 30_000L;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile WorkspaceCatalog catalog;

    private final transient Clock clock = Clock.systemUTC();
    private final transient ChatEngines engines = new ChatEngines();
    private final transient ChatEvents events = new ChatEvents(() -> eventAdmin);
    private final transient ScheduledExecutorService timers;
    private final transient ChatTurns turns;
    private volatile Duration lease;

    @Activate
    public ChatSessionsServlet(Configuration config) {
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heddle-chat-lease-renewal");
            t.setDaemon(true);
            return t;
        });
        this.turns = new ChatTurns(engines, events, timers, clock);
        this.lease = leaseOf(config);
    }

    @Modified
    void modified(Configuration config) {
        this.lease = leaseOf(config);
    }

    @Deactivate
    void deactivate() {
        events.close();
        turns.cancelAll();
        timers.shutdownNow();
    }

    private static Duration leaseOf(Configuration config) {
        return Duration.ofMillis(config.leaseMs() > 0 ? config.leaseMs() : 30_000L);
    }

    @Reference(
            service = ChatEngine.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeEngine")
    void addEngine(ChatEngine engine, Map<String, Object> properties) {
        engines.add(engine, properties);
    }

    void removeEngine(ChatEngine engine) {
        engines.remove(engine);
    }

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, IOException {
        if (ENGINES_PATH.equals(request.getServletPath())) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw HttpProblem.methodNotAllowed(method, "GET");
            }
            return engineList();
        }
        Workspace workspace = workspace(request, server);
        ChatSessionStore store = ChatSessionStore.forStateRoot(workspace.stateRoot(), clock, lease)
                .withWriterProcess(clientProcess(request));
        String rest = request.getPathInfo();
        if (rest == null || rest.isEmpty() || rest.equals("/")) {
            switch (method) {
                case "GET":
                case "HEAD":
                    return list(store);
                case "POST":
                    return create(request, response, server, store);
                default:
                    throw HttpProblem.methodNotAllowed(method, "GET or POST");
            }
        }
        String[] segments = rest.substring(1).split("/", -1);
        String id = segments[0];
        if (!ChatSessionStore.validId(id) || segments.length > 2) {
            throw HttpProblem.notFound("No such chat resource: " + request.getRequestURI());
        }
        if (segments.length == 1) {
            switch (method) {
                case "GET":
                case "HEAD":
                    return full(read(store, id), store.leaseDuration());
                case "PATCH":
                    return rename(request, server, store, id);
                case "DELETE":
                    return delete(request, server, store, id);
                default:
                    throw HttpProblem.methodNotAllowed(method, "GET, PATCH or DELETE");
            }
        }
        if (segments[1].equals("lease")) {
            if (!method.equals("DELETE")) {
                throw HttpProblem.methodNotAllowed(method, "DELETE");
            }
            return releaseLease(request, server, store, id);
        }
        if (segments[1].equals("cancel")) {
            if (!method.equals("POST")) {
                throw HttpProblem.methodNotAllowed(method, "POST");
            }
            return cancel(response, store, id);
        }
        if (!segments[1].equals("messages")) {
            throw HttpProblem.notFound("No such chat resource: " + request.getRequestURI());
        }
        switch (method) {
            case "GET":
            case "HEAD":
                return Map.of(
                        "sessionId", id, "messages", messages(read(store, id).messages()));
            case "POST":
                return send(request, response, server, store, id, workspace.root());
            default:
                throw HttpProblem.methodNotAllowed(method, "GET or POST");
        }
    }

    private static Map<String, Object> list(ChatSessionStore store) throws IOException {
        ChatSessionStore.Listing listing = store.list();
        List<Object> sessions = new ArrayList<>();
        listing.sessions().forEach(s -> sessions.add(summary(s, store.leaseDuration())));
        List<Object> setAside = new ArrayList<>();
        for (io.heddle.storage.internal.LockedStore.SetAside s : listing.setAside()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", s.file().toString());
            m.put("movedTo", s.movedTo().toString());
            m.put("problem", s.problem());
            setAside.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessions", sessions);
        body.put("setAside", setAside);
        return body;
    }

    private Object create(
            HttpServletRequest request, HttpServletResponse response, ServerHandle server, ChatSessionStore store)
            throws HttpProblem, IOException {
        Map<String, Object> body = readObject(request, true);
        String id = null;
        if (body.containsKey("id")) {
            id = JsonFields.string(body, "id");
            if (!ChatSessionStore.validId(id)) {
                throw HttpProblem.badRequest(
                        "Field 'id' must be 1-64 letters, digits, '-' or '_', starting with a " + "letter or digit.");
            }
        }
        String name = body.containsKey("name") ? name(body) : null;
        try {
            ChatSession session = store.create(writer(request, server), id, name);
            events.post(ChatTopics.SESSION_CREATED, props(server, session.id(), "name", session.name()));
            response.setStatus(201);
            return full(session, store.leaseDuration());
        } catch (ChatSessionStore.SessionExistsException e) {
            throw HttpProblem.conflict("session_exists", e.getMessage());
        }
    }

    /** {@code PATCH}: {@code name} and/or {@code engine} (a configured engine's name, or null for the best one). */
    private Object rename(HttpServletRequest request, ServerHandle server, ChatSessionStore store, String id)
            throws HttpProblem, IOException {
        Map<String, Object> body = readObject(request, false);
        if (!body.containsKey("name") && !body.containsKey("engine")) {
            throw HttpProblem.badRequest("Give 'name' (a non-empty string) and/or 'engine' (the name of a chat engine "
                    + "from GET " + ENGINES_PATH + ", or null for the highest-ranked one).");
        }
        String name = body.containsKey("name") ? name(body) : null;
        Optional<String> engine = null;
        if (body.containsKey("engine")) {
            Object raw = body.get("engine");
            if (raw == null) {
                engine = Optional.empty();
            } else if (!(raw instanceof String) || ((String) raw).isBlank()) {
                throw HttpProblem.badRequest("Field 'engine' must be the name of a chat engine (see GET " + ENGINES_PATH
                        + "), or null for the highest-ranked one.");
            } else if (engines.named(((String) raw).trim()).isEmpty()) {
                throw new HttpProblem(
                        400,
                        "unknown_engine",
                        "No chat engine named '" + raw + "' is configured now; "
                                + "configured: " + engineNames() + " (GET " + ENGINES_PATH
                                + "). Configure it first (see "
                                + "docs/chat.md).");
            } else {
                engine = Optional.of(((String) raw).trim());
            }
        }
        try {
            ChatSession renamed = store.patch(writer(request, server), id, name, engine);
            Map<String, Object> props = props(server, id, "name", renamed.name());
            props.put("engine", renamed.engine().orElse(""));
            events.post(ChatTopics.SESSION_UPDATED, props);
            return full(renamed, store.leaseDuration());
        } catch (ChatSessionStore.SessionNotFoundException e) {
            throw HttpProblem.notFound(e.getMessage());
        } catch (ChatSessionStore.LeaseConflictException e) {
            throw HttpProblem.conflict("session_leased", e.getMessage());
        }
    }

    private Object delete(HttpServletRequest request, ServerHandle server, ChatSessionStore store, String id)
            throws HttpProblem, IOException {
        if (turns.replying(store, id)) {
            throw HttpProblem.conflict("reply_in_progress", new ChatTurns.ReplyInProgressException(id).getMessage());
        }
        try {
            store.delete(writer(request, server), id);
            events.post(ChatTopics.SESSION_DELETED, props(server, id, null, null));
            return NO_CONTENT;
        } catch (ChatSessionStore.SessionNotFoundException e) {
            throw HttpProblem.notFound(e.getMessage());
        } catch (ChatSessionStore.LeaseConflictException e) {
            throw HttpProblem.conflict("session_leased", e.getMessage());
        }
    }

    /** {@code DELETE /api/chat/sessions/{id}/lease}: the writer gives its lease up (a client that leaves). */
    private Object releaseLease(HttpServletRequest request, ServerHandle server, ChatSessionStore store, String id)
            throws HttpProblem, IOException {
        String writer = writer(request, server);
        if (turns.replying(store, id)) {
            throw HttpProblem.conflict("reply_in_progress", new ChatTurns.ReplyInProgressException(id).getMessage());
        }
        try {
            store.releaseLease(writer, id);
            return NO_CONTENT;
        } catch (ChatSessionStore.SessionNotFoundException e) {
            throw HttpProblem.notFound(e.getMessage());
        } catch (ChatSessionStore.LeaseConflictException e) {
            throw HttpProblem.conflict("session_leased", e.getMessage());
        }
    }

    private Object cancel(HttpServletResponse response, ChatSessionStore store, String id)
            throws HttpProblem, IOException {
        if (!turns.cancel(store, id)) {
            read(store, id);
            throw HttpProblem.conflict(
                    "no_reply_in_progress",
                    "No reply is being produced in chat session " + id
                            + " on this server, so there is nothing to cancel.");
        }
        response.setStatus(202);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessionId", id);
        body.put("cancelling", true);
        return body;
    }

    private String engineNames() {
        String names = engines.all().stream()
                .map(e -> e.engine().name())
                .distinct()
                .collect(java.util.stream.Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }

    /** The engines configured now, best first; never a key. */
    private Map<String, Object> engineList() {
        List<Object> list = new ArrayList<>();
        boolean first = true;
        for (ChatEngines.Entry entry : engines.all()) {
            ChatEngine engine = entry.engine();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", engine.name());
            m.put("protocol", engine.protocol());
            m.put("model", engine.model().orElse(null));
            m.put("ranking", entry.ranking());
            Optional<String> problem = engine.problem();
            m.put("usable", problem.isEmpty());
            m.put("problem", problem.orElse(null));
            m.put("default", first);
            first = false;
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("engines", list);
        body.put("default", engines.best().map(ChatEngine::name).orElse(null));
        return body;
    }

    private Object send(
            HttpServletRequest request,
            HttpServletResponse response,
            ServerHandle server,
            ChatSessionStore store,
            String id,
            Path workspaceRoot)
            throws HttpProblem, IOException {
        Map<String, Object> body = readObject(request, false);
        Object text = body.get("text");
        if (!(text instanceof String) || ((String) text).isBlank()) {
            throw HttpProblem.badRequest("Field 'text' is required and must be a non-empty string.");
        }
        String writer = writer(request, server);
        String accept = request.getHeader("Accept");
        boolean streaming = accept != null && accept.toLowerCase(Locale.ROOT).contains(NDJSON);
        LineStream lines = new LineStream(response, streaming);
        try {
            ChatTurns.Turn turn = turns.send(
                    server.serverId(), workspaceRoot, store, writer, id, (String) text, noEngineHint(server), lines);
            Map<String, Object> result = new LinkedHashMap<>();
            if (streaming) {
                result.put("type", "done");
            }
            result.put("sessionId", turn.sessionId());
            result.put("replyId", turn.replyId());
            result.put("outcome", turn.outcome());
            result.put("engine", turn.engine().orElse(null));
            result.put("message", message(turn.message()));
            result.put("replies", messages(turn.replies()));
            if (!streaming) {
                response.setStatus(201);
                return result;
            }
            lines.write(result);
            return ALREADY_WRITTEN;
        } catch (ChatSessionStore.SessionNotFoundException e) {
            throw HttpProblem.notFound(e.getMessage());
        } catch (ChatSessionStore.LeaseConflictException e) {
            throw HttpProblem.conflict("session_leased", e.getMessage());
        } catch (ChatTurns.ReplyInProgressException e) {
            throw HttpProblem.conflict("reply_in_progress", e.getMessage());
        }
    }

    /**
     * Streams a turn as newline-delimited JSON when the client asked for it; the first line is
     * written only once the user's message is stored, so every refusal before that is a plain
     * JSON error. A client that goes away does not stop the turn: the reply is still stored.
     */
    private static final class LineStream implements ChatTurns.Listener {
        private final HttpServletResponse response;
        private final boolean enabled;
        private boolean started;
        private boolean broken;

        LineStream(HttpServletResponse response, boolean enabled) {
            this.response = response;
            this.enabled = enabled;
        }

        @Override
        public void messageStored(ChatMessage m, int index) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "message");
            line.put("index", index);
            line.put("message", message(m));
            write(line);
        }

        @Override
        public void chunk(String replyId, int seq, String text) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "chunk");
            line.put("replyId", replyId);
            line.put("seq", seq);
            line.put("text", text);
            write(line);
        }

        void write(Map<String, Object> line) {
            if (!enabled || broken) {
                return;
            }
            try {
                if (!started) {
                    started = true;
                    response.setStatus(201);
                    response.setContentType(NDJSON + ";charset=utf-8");
                    response.setHeader("Cache-Control", "no-store");
                }
                ServletOutputStream out = response.getOutputStream();
                out.write((JsonTree.writeCompact(line) + "\n").getBytes(StandardCharsets.UTF_8));
                response.flushBuffer();
            } catch (IOException | RuntimeException clientGone) {
                broken = true;
            }
        }
    }

    private static ChatSession read(ChatSessionStore store, String id) throws HttpProblem, IOException {
        try {
            return store.read(id).orElseThrow(() -> HttpProblem.notFound("No chat session with id " + id + "."));
        } catch (ChatSessionStore.SessionNotFoundException e) {
            throw HttpProblem.notFound(e.getMessage());
        }
    }

    private static String name(Map<String, Object> body) throws HttpProblem {
        String name = JsonFields.text(body, "name");
        if (name == null) {
            throw HttpProblem.badRequest("Field 'name' is required and must be a non-empty string.");
        }
        name = name.trim();
        if (name.length() > ChatSessionStore.MAX_NAME_LENGTH) {
            throw HttpProblem.badRequest(
                    "Field 'name' must be at most " + ChatSessionStore.MAX_NAME_LENGTH + " characters.");
        }
        return name;
    }

    /** The workspace whose sessions a request works on. */
    record Workspace(Path root, Path stateRoot) {}

    /**
     * The serving server's own workspace, or the one {@code ?workspace=<id>} names from its
     * catalog ({@code GET /api/workspaces}; a client adds a folder with {@code POST /api/workspaces}).
     */
    private Workspace workspace(HttpServletRequest request, ServerHandle server) throws HttpProblem {
        String id = request.getParameter(WORKSPACE_PARAMETER);
        if (id == null) {
            return new Workspace(server.workspaceRoot(), server.stateRoot());
        }
        if (!WORKSPACE_ID.matcher(id).matches()) {
            throw HttpProblem.badRequest("Parameter 'workspace' must be a workspace id such as ws-0123456789abcdef"
                    + " (see GET /api/workspaces).");
        }
        WorkspaceCatalog workspaces = catalog;
        if (workspaces == null) {
            throw new HttpProblem(503, "not_ready", "The workspace catalog is not running; try again in a moment.");
        }
        Optional<WorkspaceDescriptor> found;
        try {
            found = workspaces.resolve(server.stateRoot(), id);
        } catch (RuntimeException e) {
            throw new HttpProblem(
                    503, "storage_unavailable", "The workspace catalog could not be read: " + e.getMessage());
        }
        WorkspaceDescriptor descriptor = found.orElseThrow(() -> HttpProblem.notFound("No workspace " + id
                + " in this server's catalog. Add its folder with POST /api/workspaces, then use the id it answers."));
        return new Workspace(Path.of(descriptor.workspaceRoot()), Path.of(descriptor.stateRoot()));
    }

    /**
     * The writer's process from {@value #PROCESS_HEADER}, believed only from a client on this
     * machine (a loopback peer), where its pid means something; anything unreadable is no process.
     */
    static Optional<ClientProcess> clientProcess(HttpServletRequest request) {
        String header = request.getHeader(PROCESS_HEADER);
        if (header == null || !loopbackPeer(request.getRemoteAddr())) {
            return Optional.empty();
        }
        return ClientProcess.parse(header);
    }

    private static boolean loopbackPeer(String address) {
        if (address == null) {
            return false;
        }
        String a =
                address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1");
    }

    /** Who writes: the {@value #CLIENT_HEADER} header, else the serving server. */
    static String writer(HttpServletRequest request, ServerHandle server) throws HttpProblem {
        String client = request.getHeader(CLIENT_HEADER);
        if (client == null) {
            return "server:" + server.serverId();
        }
        if (!CLIENT_ID.matcher(client).matches()) {
            throw HttpProblem.badRequest("Header " + CLIENT_HEADER + " must be 1-128 visible ASCII characters.");
        }
        return client;
    }

    private static String noEngineHint(ServerHandle server) {
        return "To have a local program answer, create "
                + server.registryPath().getParent().resolve("etc").resolve("io.heddle.chat.engine.command.cfg")
                + " with a line such as argv=[\"/path/to/your-model-cli\", \"--some-flag\"] and send the message "
                + "again (see docs/chat.md).";
    }

    private static Map<String, Object> props(ServerHandle server, String sessionId, String key, Object value) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("serverId", server.serverId());
        props.put("sessionId", sessionId);
        if (key != null) {
            props.put(key, value);
        }
        return props;
    }

    static Map<String, Object> summary(ChatSession s, Duration lease) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("createdAt", format(s.createdAt()));
        m.put("updatedAt", format(s.updatedAt()));
        m.put("messageCount", s.messages().size());
        m.put("engine", s.engine().orElse(null));
        m.put("lease", lease(s.lease(), lease));
        return m;
    }

    static Map<String, Object> full(ChatSession s, Duration lease) {
        Map<String, Object> m = summary(s, lease);
        m.put("messages", messages(s.messages()));
        return m;
    }

    private static Object lease(Optional<SessionLease> lease, Duration duration) {
        if (lease.isEmpty()) {
            return null;
        }
        Instant expires = lease.get().expiresAt(duration);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("holder", lease.get().holder());
        m.put("expiresAt", format(expires));
        lease.get().process().ifPresent(p -> {
            Map<String, Object> process = new LinkedHashMap<>();
            process.put("pid", p.pid());
            process.put("startedAt", format(p.startedAt()));
            m.put("process", process);
        });
        return m;
    }

    static List<Object> messages(List<ChatMessage> messages) {
        List<Object> list = new ArrayList<>(messages.size());
        messages.forEach(m -> list.add(message(m)));
        return list;
    }

    static Map<String, Object> message(ChatMessage m) {
        return ChatSessionCodec.encode(m);
    }
}
