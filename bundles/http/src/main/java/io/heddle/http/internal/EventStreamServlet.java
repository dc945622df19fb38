package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: every Event Admin event under {@code io/heddle/} (scheduler,
 * ownership, extension events) as Server-Sent Events; the event name is the topic after
 * {@code io/heddle/} in dotted lower case ({@code heartbeat.task.started}), the data is JSON of
 * the event's properties. A client that reconnects with {@code Last-Event-ID} gets the buffered
 * events it missed.
 *
 * <p>Writes are non-blocking (a {@link WriteListener}): the Event Admin thread only queues
 * frames and writes what the socket takes. A client with more than a full replay plus
 * {@value #CLIENT_BACKLOG} frames waiting is dropped (it reconnects and replays).
 *
 * <p>The Servlet API reports a disconnect only when a write fails, so every client gets a
 * keep-alive comment every {@code keepAliveMs}: a client that went away is found by the next
 * event or keep-alive, and its queue is freed at that moment.
 */
@Component(
        service = {Servlet.class, EventHandler.class},
        configurationPid = EventStreamServlet.PID,
        property = EventConstants.EVENT_TOPIC + "=" + EventStreamHub.PREFIX + "*")
@Designate(ocd = EventStreamServlet.Configuration.class)
@HttpWhiteboardServletPattern("/api/events")
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class EventStreamServlet extends JsonApiServlet implements EventHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamServlet.class);

    static final String PID = "io.heddle.http.events";
    static final int REPLAY_CAPACITY = 1024;
    static final int CLIENT_BACKLOG = 256;

    @ObjectClassDefinition(name = "Heddle event stream", description = "GET /api/events (Server-Sent Events).")
    @interface Configuration {
        @AttributeDefinition(
                description = "Interval of the keep-alive comment sent to every client; a client that "
                        + "disconnected is noticed at the next write, so this bounds how long it is kept.")
        long keepAliveMs() default 2_000L;
    }

    private final transient EventStreamHub hub = new EventStreamHub(REPLAY_CAPACITY, System.currentTimeMillis() * 1000);
    private final transient ScheduledThreadPoolExecutor keepAlive = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "heddle-event-stream-keep-alive");
        t.setDaemon(true);
        return t;
    });
    private transient ScheduledFuture<?> keepAliveTask;

    @Activate
    public EventStreamServlet(Configuration config) {
        keepAlive.setRemoveOnCancelPolicy(true);
        modified(config);
    }

    @Modified
    synchronized void modified(Configuration config) {
        if (keepAliveTask != null) {
            keepAliveTask.cancel(false);
        }
        long every = Math.max(50, config.keepAliveMs());
        keepAliveTask =
                keepAlive.scheduleWithFixedDelay(() -> hub.comment("keep-alive"), every, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        keepAlive.shutdownNow();
        hub.closeAll();
    }

    @Override
    public void handleEvent(Event event) {
        Map<String, Object> props = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            props.put(name, event.getProperty(name));
        }
        hub.publish(event.getTopic(), props);
    }

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, IOException {
        if (!method.equals("GET")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        if (!request.isAsyncSupported()) {
            throw HttpProblem.notReady("The event stream is not available on this server (no async support).");
        }
        String lastEventId = lastEventId(request);
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        ServletOutputStream out = response.getOutputStream();
        out.write("retry: 2000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();

        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        StreamClient client = new StreamClient(server.serverId(), async, out);
        async.addListener(client);
        hub.subscribe(client, lastEventId);
        out.setWriteListener(client);
        return null;
    }

    /**
     * The {@code Last-Event-ID} header, else the {@code lastEventId} query parameter; null when
     * neither is given. A malformed query string or an id that is not a whole number is a 400.
     */
    static String lastEventId(HttpServletRequest request) throws HttpProblem {
        String id = request.getHeader("Last-Event-ID");
        if (id == null) {
            try {
                id = request.getQueryString() == null ? null : request.getParameter("lastEventId");
            } catch (RuntimeException malformedQuery) {
                // the container's parse failure (bad percent-encoding): the client's fault
                throw HttpProblem.badRequest("The query string is malformed (bad percent-encoding?).");
            }
        }
        if (id == null || id.isBlank()) {
            return null;
        }
        try {
            Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("Last-Event-ID (or lastEventId) must be an event id: a whole number.");
        }
        return id;
    }

    int clientCount() {
        return hub.clientCount();
    }

    /** One connected browser or CLI; writes only when the container says the socket takes more. */
    private final class StreamClient extends EventStreamHub.Client implements WriteListener, AsyncListener {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private boolean listening;
        private boolean flushPending;

        StreamClient(String serverId, AsyncContext async, ServletOutputStream out) {
            super(serverId, REPLAY_CAPACITY + CLIENT_BACKLOG);
            this.async = async;
            this.out = out;
        }

        @Override
        void writeAvailable() {
            synchronized (this) {
                if (!listening || isClosed()) {
                    return; // onWritePossible comes once the write listener is set
                }
                try {
                    while (out.isReady()) {
                        byte[] frame = next();
                        if (frame != null) {
                            out.write(frame);
                            flushPending = true;
                        } else if (flushPending) {
                            flushPending = false;
                            out.flush();
                        } else {
                            return;
                        }
                    }
                } catch (IOException | IllegalStateException e) {
                    gone(e);
                }
            }
        }

        @Override
        public void onWritePossible() {
            synchronized (this) {
                listening = true;
            }
            writeAvailable();
        }

        @Override
        public void onError(Throwable t) {
            gone(t);
        }

        @Override
        void dropped() {
            LOG.debug(
                    "Event stream client of {} dropped (fell {} events behind, or the endpoint closed)",
                    serverId(),
                    REPLAY_CAPACITY + CLIENT_BACKLOG);
            complete();
        }

        private void gone(Throwable cause) {
            hub.unsubscribe(this);
            complete();
        }

        private void complete() {
            try {
                async.complete();
            } catch (IllegalStateException alreadyDone) {
                // completed by the container (disconnect) or by a racing drop
            }
        }

        // AsyncListener: the container ends the stream (disconnect, error, shutdown)

        @Override
        public void onComplete(AsyncEvent event) {
            hub.unsubscribe(this);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            gone(event.getThrowable());
        }

        @Override
        public void onError(AsyncEvent event) {
            gone(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not re-dispatched
        }
    }
}
