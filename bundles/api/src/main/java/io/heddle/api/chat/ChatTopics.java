package io.heddle.api.chat;

/**
 * Event Admin topics of chat. Every event carries only JSON-friendly properties (strings,
 * numbers, booleans), always {@code serverId} (the server that handled the request) and, for
 * session events, {@code sessionId}.
 */
public final class ChatTopics {

    /** Prefix of every chat topic. */
    public static final String PREFIX = "io/heddle/chat/";

    /** A session was created: {@code serverId, sessionId, name}. */
    public static final String SESSION_CREATED = PREFIX + "SESSION_CREATED";

    /** A session was renamed: {@code serverId, sessionId, name}. */
    public static final String SESSION_UPDATED = PREFIX + "SESSION_UPDATED";

    /** A session was deleted: {@code serverId, sessionId}. */
    public static final String SESSION_DELETED = PREFIX + "SESSION_DELETED";

    /** A message was stored: {@code serverId, sessionId, role, text, at, index}. */
    public static final String MESSAGE_ADDED = PREFIX + "MESSAGE_ADDED";

    /** A piece of a reply streamed in: {@code serverId, sessionId, replyId, seq, text, engine}. */
    public static final String REPLY_CHUNK = PREFIX + "REPLY_CHUNK";

    /**
     * A reply ended: {@code serverId, sessionId, replyId, outcome} ({@code completed},
     * {@code failed}, {@code cancelled} or {@code no_engine}), {@code engine} when one ran, {@code text} (the
     * stored reply) and {@code message} (the system notice, when there is one).
     */
    public static final String REPLY_DONE = PREFIX + "REPLY_DONE";

    /** The embedded-chat server started: {@code serverId, endpoint, workspaceRoot}. */
    public static final String SERVER_STARTED = PREFIX + "SERVER_STARTED";

    /** The embedded-chat server stopped: {@code serverId, reason}. */
    public static final String SERVER_STOPPED = PREFIX + "SERVER_STOPPED";

    /** The embedded-chat server did not start: {@code reason, message}. */
    public static final String SERVER_START_FAILED = PREFIX + "SERVER_START_FAILED";

    private ChatTopics() {}
}
