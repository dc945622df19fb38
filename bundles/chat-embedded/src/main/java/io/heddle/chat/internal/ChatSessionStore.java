package io.heddle.chat.internal;

import io.heddle.api.chat.ChatMessage;
import io.heddle.storage.internal.CorruptFiles;
import io.heddle.storage.internal.LockedStore;
import io.heddle.storage.internal.LockedStore.SetAside;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat sessions of one workspace: {@code <stateRoot>/chat/sessions/<id>.json}, one file a
 * session, a {@link LockedStore}. Writes hold {@code <stateRoot>/chat/sessions.lock} (threads and
 * processes) and replace the file atomically; reads take no lock.
 *
 * <p>Reads are tolerant (see {@link ChatSessionCodec}). A file that cannot be read as a session
 * at all is set aside as {@code <id>.json.corrupt-<UTC>} and reported, never silently dropped;
 * a file with unreadable message entries is copied aside the same way before it is rewritten.
 *
 * <p>The soft session lease: every write that starts something (create, a new message, rename,
 * delete) names its writer. While another writer's lease is fresh (its last write is less than
 * the lease duration ago) the write is refused with {@link LeaseConflictException}; otherwise
 * the writer takes or renews the lease. A reply is stored without a lease check: it belongs to
 * the message that started it.
 */
final class ChatSessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(ChatSessionStore.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DEFAULT_NAME =
            DateTimeFormatter.ofPattern("'Chat' yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    static final int MAX_NAME_LENGTH = 200;

    private final Path dir;
    private final LockedStore store;
    private final Clock clock;
    private final Duration leaseDuration;
    private final Optional<ClientProcess> writerProcess;

    ChatSessionStore(Path sessionsDir, Clock clock, Duration leaseDuration) {
        this(sessionsDir, clock, leaseDuration, Optional.empty());
    }

    private ChatSessionStore(
            Path sessionsDir, Clock clock, Duration leaseDuration, Optional<ClientProcess> writerProcess) {
        this.dir = sessionsDir.toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = new LockedStore("the chat session store", dir.resolveSibling("sessions.lock"), clock);
        this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
        this.writerProcess = Objects.requireNonNull(writerProcess, "writerProcess");
    }

    /**
     * The same store for writes of a client whose process is known (a client on this machine):
     * the leases it takes name that process, so that they are free as soon as it has ended.
     */
    ChatSessionStore withWriterProcess(Optional<ClientProcess> process) {
        return new ChatSessionStore(dir, clock, leaseDuration, process);
    }

    /** The store of a server's state root: {@code <stateRoot>/chat/sessions}. */
    static ChatSessionStore forStateRoot(Path stateRoot, Clock clock, Duration leaseDuration) {
        return new ChatSessionStore(stateRoot.resolve("chat").resolve("sessions"), clock, leaseDuration);
    }

    Path directory() {
        return dir;
    }

    Duration leaseDuration() {
        return leaseDuration;
    }

    /** Whether {@code id} may name a session (it becomes a file name and a URL segment). */
    static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "cs-" + HexFormat.of().formatHex(bytes);
    }

    /** Every readable session, most recently updated first, and the files set aside while listing. */
    record Listing(List<ChatSession> sessions, List<SetAside> setAside) {}

    // --- errors (each becomes one HTTP status at the edge) ---

    /** No session with that id. */
    static final class SessionNotFoundException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Optional<SetAside> setAside;

        SessionNotFoundException(String id, Optional<SetAside> setAside) {
            super(setAside.map(s -> "Session " + id + " could not be read (" + s.problem()
                            + "); its file was set aside as " + s.movedTo() + ".")
                    .orElse("No chat session with id " + id + "."));
            this.setAside = setAside;
        }

        Optional<SetAside> setAside() {
            return setAside;
        }
    }

    /** Another writer holds a fresh lease on the session. */
    static final class LeaseConflictException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String holder;
        private final transient Instant expiresAt;

        LeaseConflictException(String id, String holder, Instant expiresAt) {
            super("Chat session " + id + " is being written by '" + holder + "' (its lease runs until "
                    + io.heddle.storage.internal.JsonFields.format(expiresAt) + "). Wait until then, or continue in "
                    + "another session.");
            this.holder = holder;
            this.expiresAt = expiresAt;
        }

        String holder() {
            return holder;
        }

        Instant expiresAt() {
            return expiresAt;
        }
    }

    /** A session with that id exists already. */
    static final class SessionExistsException extends Exception {
        private static final long serialVersionUID = 1L;

        SessionExistsException(String id) {
            super("A chat session with id " + id + " exists already.");
        }
    }

    // --- reads ---

    Listing list() throws IOException {
        List<ChatSession> sessions = new ArrayList<>();
        List<SetAside> setAside = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Listing(sessions, setAside);
        }
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - ".json".length());
                if (validId(id) && Files.isRegularFile(file)) {
                    ids.add(id);
                }
            }
        }
        for (String id : ids) {
            try {
                read(id).ifPresent(sessions::add);
            } catch (SessionNotFoundException e) {
                e.setAside().ifPresent(setAside::add);
            }
        }
        sessions.sort(Comparator.comparing(ChatSession::updatedAt).reversed().thenComparing(ChatSession::id));
        return new Listing(sessions, setAside);
    }

    /**
     * The session, or empty when there is none.
     *
     * @throws SessionNotFoundException with {@link SessionNotFoundException#setAside()} when its
     *                                  file was corrupt and has just been set aside
     */
    Optional<ChatSession> read(String id) throws IOException, SessionNotFoundException {
        requireValid(id);
        // Unreadable without the lock: writers replace files atomically, so it is really corrupt,
        // and the store sets it aside under the lock after checking nobody replaced it meanwhile.
        return found(id, store.read(fileOf(id), decoder(id)));
    }

    /** Under the lock: the session, or SessionNotFound (with the set-aside file when it was corrupt). */
    private ChatSession loadLocked(String id) throws IOException, SessionNotFoundException {
        Optional<ChatSession> session = found(id, store.readLocked(fileOf(id), decoder(id)));
        if (session.isEmpty()) {
            throw new SessionNotFoundException(id, Optional.empty());
        }
        return session.get();
    }

    private Optional<ChatSession> found(String id, LockedStore.Read<ChatSession> read) throws SessionNotFoundException {
        if (read.setAside().isPresent()) {
            LOG.warn("{}", read.setAside().get().describe("the chat session file"));
            throw new SessionNotFoundException(id, read.setAside());
        }
        return read.value();
    }

    private LockedStore.Decoder<ChatSession> decoder(String id) {
        Path file = fileOf(id);
        return bytes -> {
            try {
                return ChatSessionCodec.decode(id, bytes, modified(file));
            } catch (ChatSessionCodec.CorruptSessionFileException e) {
                throw new LockedStore.UnreadableContentException(e.getMessage(), e);
            }
        };
    }

    // --- writes ---

    /** Creates a session; {@code id} and {@code name} may be null for defaults. The writer takes its lease. */
    ChatSession create(String writer, String id, String name) throws IOException, SessionExistsException {
        String sessionId = id == null ? newId() : id;
        requireValid(sessionId);
        Instant now = now();
        try (LockedStore.Held lock = store.hold()) {
            try {
                loadLocked(sessionId);
                throw new SessionExistsException(sessionId);
            } catch (SessionNotFoundException free) {
                // missing, or corrupt and now set aside: the id is free
            }
            ChatSession session = new ChatSession(
                    sessionId,
                    name == null ? DEFAULT_NAME.format(now) : name,
                    now,
                    now,
                    Optional.of(new SessionLease(writer, now, writerProcess)),
                    List.of(),
                    0);
            store(session);
            return session;
        }
    }

    ChatSession rename(String writer, String id, String name)
            throws IOException, SessionNotFoundException, LeaseConflictException {
        requireValid(id);
        try (LockedStore.Held lock = store.hold()) {
            ChatSession session = leasedTo(writer, loadLocked(id));
            ChatSession renamed = session.withName(name, now());
            store(renamed);
            return renamed;
        }
    }

    /**
     * Changes what a PATCH asks for in one write: the name when {@code name} is not null, the
     * engine when {@code engine} is not null (an empty one returns the session to the
     * highest-ranked engine).
     */
    ChatSession patch(String writer, String id, String name, Optional<String> engine)
            throws IOException, SessionNotFoundException, LeaseConflictException {
        requireValid(id);
        try (LockedStore.Held lock = store.hold()) {
            ChatSession session = leasedTo(writer, loadLocked(id));
            Instant now = now();
            if (name != null) {
                session = session.withName(name, now);
            }
            if (engine != null) {
                session = session.withEngine(engine, now);
            }
            store(session);
            return session;
        }
    }

    void delete(String writer, String id) throws IOException, SessionNotFoundException, LeaseConflictException {
        requireValid(id);
        try (LockedStore.Held lock = store.hold()) {
            leasedTo(writer, loadLocked(id));
            Files.delete(fileOf(id));
        }
    }

    /** Appends a message after the lease check; the writer takes or renews the lease. */
    ChatSession append(String writer, String id, ChatMessage message)
            throws IOException, SessionNotFoundException, LeaseConflictException {
        requireValid(id);
        try (LockedStore.Held lock = store.hold()) {
            ChatSession updated = leasedTo(writer, loadLocked(id)).withMessage(message);
            store(updated);
            return updated;
        }
    }

    /** Appends a reply to the message that started it: no lease check, the lease is left as it is. */
    ChatSession appendReply(String id, ChatMessage message) throws IOException, SessionNotFoundException {
        requireValid(id);
        try (LockedStore.Held lock = store.hold()) {
            ChatSession updated = loadLocked(id).withMessage(message);
            store(updated);
            return updated;
        }
    }

    /** Keeps the writer's lease running (while a long reply streams); nothing else changes. */
    ChatSession renewLease(String writer, String id)
            throws IOException, SessionNotFoundException, LeaseConflictException {
        requireValid(id);
        try (LockedStore.Held lock = store.hold()) {
            ChatSession renewed = leasedTo(writer, loadLocked(id));
            store(renewed);
            return renewed;
        }
    }

    /**
     * Gives the lease up: {@code writer}'s own lease on the session is removed, so that the next
     * writer may write at once. A session with no lease, an expired one or one whose holder's
     * process has ended is left as it is; another writer's running lease is a conflict.
     */
    void releaseLease(String writer, String id) throws IOException, SessionNotFoundException, LeaseConflictException {
        requireValid(id);
        try (LockedStore.Held lock = store.hold()) {
            ChatSession session = loadLocked(id);
            Optional<SessionLease> lease = session.lease();
            if (lease.isEmpty()) {
                return;
            }
            if (lease.get().holder().equals(writer)) {
                store(session.withLease(null));
                return;
            }
            if (running(lease.get(), now())) {
                throw new LeaseConflictException(
                        session.id(), lease.get().holder(), lease.get().expiresAt(leaseDuration));
            }
        }
    }

    /** Checks the lease and answers the session with {@code writer}'s lease, renewed now. */
    private ChatSession leasedTo(String writer, ChatSession session) throws LeaseConflictException {
        Instant now = now();
        Optional<SessionLease> lease = session.lease();
        if (lease.isPresent() && !lease.get().holder().equals(writer) && running(lease.get(), now)) {
            throw new LeaseConflictException(
                    session.id(), lease.get().holder(), lease.get().expiresAt(leaseDuration));
        }
        return session.withLease(new SessionLease(writer, now, writerProcess));
    }

    /** A lease keeps others out while it is fresh and, when it names its holder's process, that process runs. */
    private boolean running(SessionLease lease, Instant now) {
        return lease.freshAt(now, leaseDuration)
                && lease.process().map(p -> !p.ended()).orElse(true);
    }

    private void store(ChatSession session) throws IOException {
        Path file = fileOf(session.id());
        if (session.droppedMessages() > 0 && Files.exists(file)) {
            // The rewrite would lose the entries we could not read: keep the original next to it.
            Path copy = CorruptFiles.copyAside(file, clock);
            LOG.warn(
                    "Chat session file {} had {} unreadable message(s); kept the original as {} before rewriting it",
                    file,
                    session.droppedMessages(),
                    copy);
            session = new ChatSession(
                    session.id(),
                    session.name(),
                    session.createdAt(),
                    session.updatedAt(),
                    session.lease(),
                    session.messages(),
                    0,
                    session.engine());
        }
        store.replace(file, ChatSessionCodec.encode(session));
    }

    Path fileOf(String id) {
        return dir.resolve(id + ".json");
    }

    private static void requireValid(String id) {
        if (!validId(id)) {
            throw new IllegalArgumentException("not a valid session id: " + id);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (IOException e) {
            return now();
        }
    }
}
