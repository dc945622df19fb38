package io.heddle.chat.internal;

import static io.heddle.storage.internal.JsonFields.format;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatReplyStream;
import io.heddle.api.chat.ChatRole;
import io.heddle.api.chat.ChatTopics;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One turn of a chat: store the user's message (lease-checked), let the best engine reply in
 * chunks, store the reply. Every step is posted as an event. With no engine the reply is a
 * system message that says so; an engine failure keeps the partial reply and adds a system
 * message that says what went wrong. Nothing here ever makes an answer up.
 *
 * <p>One reply runs per session at a time in this JVM; while it runs the writer's lease is
 * renewed on a timer, so a slow engine does not lose the session to another writer.
 */
final class ChatTurns {

    private static final Logger LOG = LoggerFactory.getLogger(ChatTurns.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    static final String NO_ENGINE = "no_engine";
    static final String CANCELLED = "cancelled";

    /** Hears a turn as it happens (the HTTP endpoint streams it). Called from one thread at a time. */
    interface Listener {
        void messageStored(ChatMessage message, int index);

        void chunk(String replyId, int seq, String text);
    }

    /**
     * The outcome of a turn.
     *
     * @param replies the stored reply messages: an assistant reply, and/or a system notice
     */
    record Turn(
            String sessionId,
            String replyId,
            ChatMessage message,
            List<ChatMessage> replies,
            String outcome,
            Optional<String> engine) {}

    /** A reply for the session is still running. */
    static final class ReplyInProgressException extends Exception {
        private static final long serialVersionUID = 1L;

        ReplyInProgressException(String sessionId) {
            super("A reply in chat session " + sessionId + " is still being produced; send the next message when it "
                    + "is done.");
        }
    }

    private static final class InFlight {
        volatile boolean cancelled;
        /** The cancel came from a user ({@code POST .../cancel}), not from the server stopping. */
        volatile boolean byUser;
    }

    private final ChatEngines engines;
    private final ChatEvents events;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

    ChatTurns(ChatEngines engines, ChatEvents events, ScheduledExecutorService timers, Clock clock) {
        this.engines = engines;
        this.events = events;
        this.timers = timers;
        this.clock = clock;
    }

    /** Whether a reply for the session is running in this JVM. */
    boolean replying(ChatSessionStore store, String sessionId) {
        return inFlight.containsKey(key(store, sessionId));
    }

    /**
     * Asks the running reply of a session to stop: the engine ends it, the part that arrived is
     * kept, and the outcome is {@value #CANCELLED}.
     *
     * @return whether a reply was running in this JVM
     */
    boolean cancel(ChatSessionStore store, String sessionId) {
        InFlight flight = inFlight.get(key(store, sessionId));
        if (flight == null) {
            return false;
        }
        flight.byUser = true;
        flight.cancelled = true;
        return true;
    }

    /** Asks every running reply to stop (the bundle or the component is going away). */
    void cancelAll() {
        inFlight.values().forEach(f -> f.cancelled = true);
    }

    /**
     * Runs one turn.
     *
     * @param serverId      the server that took the request (goes on every event)
     * @param workspaceRoot the session's workspace
     * @param noEngineHint  how to configure an engine, for the "no engine" notice
     */
    Turn send(
            String serverId,
            Path workspaceRoot,
            ChatSessionStore store,
            String writer,
            String sessionId,
            String text,
            String noEngineHint,
            Listener listener)
            throws IOException, ChatSessionStore.SessionNotFoundException, ChatSessionStore.LeaseConflictException,
                    ReplyInProgressException {
        String key = key(store, sessionId);
        InFlight flight = new InFlight();
        if (inFlight.putIfAbsent(key, flight) != null) {
            throw new ReplyInProgressException(sessionId);
        }
        try {
            ChatMessage message = new ChatMessage(ChatRole.USER, text, now());
            ChatSession session = store.append(writer, sessionId, message);
            stored(serverId, session, listener);

            String replyId = "r-" + HexFormat.of().formatHex(randomBytes());
            Optional<String> wanted = session.engine();
            Optional<ChatEngine> engine = wanted.isPresent() ? engines.named(wanted.get()) : engines.best();
            List<ChatMessage> replies = new ArrayList<>();
            String outcome;
            String notice = null;
            if (engine.isEmpty() && wanted.isPresent()) {
                outcome = NO_ENGINE;
                String names = engines.all().stream()
                        .map(e -> e.engine().name())
                        .distinct()
                        .collect(java.util.stream.Collectors.joining(", "));
                notice = "This session asks for the engine '" + wanted.get() + "', which is not configured now "
                        + "(configured: " + (names.isEmpty() ? "none" : names) + "), so nothing answered this message "
                        + "(it is stored). Choose another engine for the session (PATCH /api/chat/sessions/"
                        + sessionId + " with {\"engine\": NAME}, or null for the highest-ranked one; heddle chat "
                        + "--engine NAME), or configure '" + wanted.get() + "' (see docs/chat.md).";
                replies.add(new ChatMessage(ChatRole.SYSTEM, notice, now()));
            } else if (engine.isEmpty()) {
                outcome = NO_ENGINE;
                notice = "No chat engine is configured, so nothing answered this message (it is stored). "
                        + noEngineHint;
                replies.add(new ChatMessage(ChatRole.SYSTEM, notice, now()));
            } else {
                ReplyText reply = runEngine(
                        serverId, store, writer, session, workspaceRoot, engine.get(), replyId, flight, listener);
                if (reply.failure == null) {
                    outcome = COMPLETED;
                    if (reply.text.length() > 0) {
                        replies.add(new ChatMessage(ChatRole.ASSISTANT, reply.text.toString(), now()));
                    } else {
                        notice = "The " + engine.get().name() + " engine ended without a reply.";
                        replies.add(new ChatMessage(ChatRole.SYSTEM, notice, now()));
                    }
                } else {
                    outcome = flight.byUser ? CANCELLED : FAILED;
                    if (reply.text.length() > 0) {
                        replies.add(new ChatMessage(ChatRole.ASSISTANT, reply.text.toString(), now()));
                    }
                    notice = flight.byUser
                            ? "The reply was stopped on request"
                                    + (reply.text.length() > 0
                                            ? "; the part that arrived is kept above."
                                            : " before any of it arrived.")
                                    + " Send a message to go on."
                            : "The " + engine.get().name() + " engine did not finish its reply: " + reply.failure;
                    replies.add(new ChatMessage(ChatRole.SYSTEM, notice, now()));
                }
            }
            for (ChatMessage r : replies) {
                try {
                    session = store.appendReply(sessionId, r);
                    stored(serverId, session, listener);
                } catch (ChatSessionStore.SessionNotFoundException gone) {
                    LOG.warn("Chat session {} disappeared before its reply {} could be stored", sessionId, replyId);
                }
            }
            Map<String, Object> done = base(serverId, sessionId);
            done.put("replyId", replyId);
            done.put("outcome", outcome);
            engine.ifPresent(e -> done.put("engine", e.name()));
            done.put(
                    "text",
                    replies.stream()
                            .filter(r -> r.role() == ChatRole.ASSISTANT)
                            .map(ChatMessage::text)
                            .findFirst()
                            .orElse(""));
            done.put("message", notice);
            events.post(ChatTopics.REPLY_DONE, done);
            return new Turn(sessionId, replyId, message, replies, outcome, engine.map(ChatEngine::name));
        } finally {
            inFlight.remove(key, flight);
        }
    }

    private static final class ReplyText {
        final StringBuilder text = new StringBuilder();
        String failure;
    }

    private ReplyText runEngine(
            String serverId,
            ChatSessionStore store,
            String writer,
            ChatSession session,
            Path workspaceRoot,
            ChatEngine engine,
            String replyId,
            InFlight flight,
            Listener listener) {
        List<ChatMessage> conversation = new ArrayList<>();
        for (ChatMessage m : session.messages()) {
            if (m.role() != ChatRole.SYSTEM) {
                conversation.add(m);
            }
        }
        ReplyText reply = new ReplyText();
        int[] seq = {0};
        ChatReplyStream stream = new ChatReplyStream() {
            @Override
            public void chunk(String text) {
                if (text == null || text.isEmpty()) {
                    return;
                }
                reply.text.append(text);
                int n = seq[0]++;
                Map<String, Object> props = base(serverId, session.id());
                props.put("replyId", replyId);
                props.put("seq", n);
                props.put("text", text);
                props.put("engine", engine.name());
                events.post(ChatTopics.REPLY_CHUNK, props);
                listener.chunk(replyId, n, text);
            }

            @Override
            public boolean cancelled() {
                return flight.cancelled;
            }
        };
        long period = Math.max(50, store.leaseDuration().toMillis() / 3);
        ScheduledFuture<?> renewal;
        try {
            renewal = timers.scheduleAtFixedRate(
                    () -> renew(store, writer, session.id()), period, period, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the component is going away; the reply below is cancelled anyway
            renewal = null;
        }
        try {
            engine.reply(new ChatConversation(session.id(), session.name(), workspaceRoot, conversation), stream);
        } catch (ChatEngineException e) {
            reply.failure = e.getMessage();
        } catch (RuntimeException e) {
            LOG.warn("Chat engine {} failed on session {}", engine.name(), session.id(), e);
            reply.failure = "the engine failed unexpectedly: " + e;
        } finally {
            if (renewal != null) {
                renewal.cancel(false);
            }
        }
        if (flight.cancelled && !flight.byUser && reply.failure == null) {
            reply.failure = "the server stopped while the reply was produced.";
        }
        return reply;
    }

    private static void renew(ChatSessionStore store, String writer, String sessionId) {
        try {
            store.renewLease(writer, sessionId);
        } catch (IOException | ChatSessionStore.SessionNotFoundException | ChatSessionStore.LeaseConflictException e) {
            LOG.warn("Could not renew the lease of chat session {} for {}: {}", sessionId, writer, e.getMessage());
        }
    }

    private void stored(String serverId, ChatSession session, Listener listener) {
        int index = session.messages().size() - 1;
        ChatMessage m = session.messages().get(index);
        Map<String, Object> props = base(serverId, session.id());
        props.put("role", m.role().wireName());
        props.put("text", m.text());
        props.put("at", format(m.at()));
        props.put("index", index);
        events.post(ChatTopics.MESSAGE_ADDED, props);
        listener.messageStored(m, index);
    }

    private static Map<String, Object> base(String serverId, String sessionId) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("serverId", serverId);
        props.put("sessionId", sessionId);
        return props;
    }

    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String key(ChatSessionStore store, String sessionId) {
        return store.directory() + "/" + sessionId;
    }
}
