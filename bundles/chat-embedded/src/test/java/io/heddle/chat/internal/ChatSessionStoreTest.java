package io.heddle.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatRole;
import io.heddle.itest.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatSessionStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path stateRoot;

    private MutableClock clock;
    private ChatSessionStore store;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-06-02T10:00:00Z"));
        store = ChatSessionStore.forStateRoot(stateRoot, clock, LEASE);
    }

    private ChatMessage user(String text) {
        return new ChatMessage(ChatRole.USER, text, clock.instant());
    }

    private Path file(String id) {
        return stateRoot.resolve("chat/sessions/" + id + ".json");
    }

    private List<String> setAsideFiles() throws Exception {
        try (Stream<Path> files = Files.list(stateRoot.resolve("chat/sessions"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".corrupt-"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void createdSessionIsStoredInTheWorkspaceWithTheCreatorsLease() throws Exception {
        ChatSession created = store.create("alice", null, "Design notes");

        assertThat(created.id()).matches("cs-[0-9a-f]{16}");
        assertThat(file(created.id())).exists();
        ChatSession read = store.read(created.id()).orElseThrow();
        assertThat(read.name()).isEqualTo("Design notes");
        assertThat(read.createdAt()).isEqualTo(clock.instant());
        assertThat(read.updatedAt()).isEqualTo(clock.instant());
        assertThat(read.lease()).contains(new SessionLease("alice", clock.instant()));
        assertThat(read.messages()).isEmpty();
    }

    @Test
    void messagesAreAppendedInOrderWithRoleTextAndTime() throws Exception {
        String id = store.create("alice", "s1", null).id();
        store.append("alice", id, user("hello"));
        clock.advance(Duration.ofSeconds(2));
        store.appendReply(id, new ChatMessage(ChatRole.ASSISTANT, "hi there", clock.instant()));

        ChatSession session = store.read(id).orElseThrow();
        assertThat(session.messages())
                .extracting(ChatMessage::role, ChatMessage::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChatRole.USER, "hello"),
                        org.assertj.core.groups.Tuple.tuple(ChatRole.ASSISTANT, "hi there"));
        assertThat(session.updatedAt()).isEqualTo(clock.instant());
        assertThat(session.name()).isEqualTo("Chat 2026-06-02 10:00 UTC");
    }

    @Test
    void secondWriterGetsAConflictWhileTheLeaseIsFresh() throws Exception {
        String id = store.create("alice", "s1", null).id();
        clock.advance(LEASE.minusMillis(1));

        assertThatThrownBy(() -> store.append("bob", id, user("me too")))
                .isInstanceOfSatisfying(ChatSessionStore.LeaseConflictException.class, e -> {
                    assertThat(e.holder()).isEqualTo("alice");
                    assertThat(e.expiresAt()).isEqualTo(Instant.parse("2026-06-02T10:00:30Z"));
                    assertThat(e.getMessage()).contains("alice").contains("2026-06-02T10:00:30.000Z");
                });
        assertThat(store.read(id).orElseThrow().messages()).isEmpty();
    }

    @Test
    void sameWriterRenewsItsLeaseWithEveryWrite() throws Exception {
        String id = store.create("alice", "s1", null).id();
        clock.advance(Duration.ofSeconds(20));
        store.append("alice", id, user("one"));
        clock.advance(Duration.ofSeconds(20));

        // 40 s after creation, but only 20 s after alice's last write: still hers
        assertThatThrownBy(() -> store.append("bob", id, user("two")))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class);
    }

    @Test
    void anotherWriterTakesTheLeaseOnceItLapsed() throws Exception {
        String id = store.create("alice", "s1", null).id();
        clock.advance(LEASE);

        store.append("bob", id, user("my turn"));

        assertThat(store.read(id).orElseThrow().lease().orElseThrow().holder()).isEqualTo("bob");
        assertThatThrownBy(() -> store.append("alice", id, user("back")))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class);
    }

    @Test
    void renameAndDeleteRespectTheLease() throws Exception {
        String id = store.create("alice", "s1", null).id();

        assertThatThrownBy(() -> store.rename("bob", id, "mine"))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class);
        assertThatThrownBy(() -> store.delete("bob", id)).isInstanceOf(ChatSessionStore.LeaseConflictException.class);
        assertThat(store.read(id)).isPresent();

        store.rename("alice", id, "renamed");
        assertThat(store.read(id).orElseThrow().name()).isEqualTo("renamed");
        store.delete("alice", id);
        assertThat(store.read(id)).isEmpty();
    }

    @Test
    void theEngineASessionNamesIsStoredInItsFileAndSurvivesOtherWrites() throws Exception {
        String id = store.create("alice", "s1", null).id();
        assertThatThrownBy(() -> store.patch("bob", id, null, java.util.Optional.of("claude")))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class);

        store.patch("alice", id, "named", java.util.Optional.of("claude"));
        store.append("alice", id, user("hi"));
        store.rename("alice", id, "renamed");

        assertThat(Files.readString(store.directory().resolve(id + ".json"))).contains("\"engine\" : \"claude\"");
        assertThat(store.read(id).orElseThrow().engine()).contains("claude");
        store.patch("alice", id, null, java.util.Optional.empty());
        assertThat(store.read(id).orElseThrow().engine()).isEmpty();
        assertThat(store.read(id).orElseThrow().name()).isEqualTo("renamed");
    }

    @Test
    void aReplyIsStoredWhoeverHoldsTheLease() throws Exception {
        String id = store.create("alice", "s1", null).id();
        clock.advance(LEASE);
        store.append("bob", id, user("bob asks"));

        store.appendReply(id, new ChatMessage(ChatRole.ASSISTANT, "late answer to alice", clock.instant()));

        ChatSession session = store.read(id).orElseThrow();
        assertThat(session.messages()).hasSize(2);
        assertThat(session.lease().orElseThrow().holder()).isEqualTo("bob");
    }

    @Test
    void renewingKeepsTheLeaseWithoutTouchingTheSession() throws Exception {
        ChatSession created = store.create("alice", "s1", null);
        clock.advance(Duration.ofSeconds(25));
        store.renewLease("alice", created.id());
        clock.advance(Duration.ofSeconds(25));

        assertThatThrownBy(() -> store.append("bob", created.id(), user("x")))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class);
        assertThat(store.read(created.id()).orElseThrow().updatedAt()).isEqualTo(created.updatedAt());
    }

    @Test
    void creatingAnExistingIdConflicts() throws Exception {
        store.create("alice", "s1", null);

        assertThatThrownBy(() -> store.create("alice", "s1", null))
                .isInstanceOf(ChatSessionStore.SessionExistsException.class);
    }

    @Test
    void missingSessionReadsAsEmptyAndWritesAsNotFound() throws Exception {
        assertThat(store.read("nope")).isEmpty();
        assertThatThrownBy(() -> store.append("alice", "nope", user("x")))
                .isInstanceOf(ChatSessionStore.SessionNotFoundException.class);
        assertThat(store.list().sessions()).isEmpty();
    }

    @Test
    void corruptSessionFileIsSetAsideAndReportedNeverDropped() throws Exception {
        store.create("alice", "good", "fine");
        Files.createDirectories(file("bad").getParent());
        Files.writeString(file("bad"), "{\"id\":\"bad\", \"messages\": [ {\"role\":", StandardCharsets.UTF_8);

        ChatSessionStore.Listing listing = store.list();

        assertThat(listing.sessions()).extracting(ChatSession::id).containsExactly("good");
        assertThat(listing.setAside()).hasSize(1);
        io.heddle.storage.internal.LockedStore.SetAside aside =
                listing.setAside().get(0);
        assertThat(aside.file()).isEqualTo(file("bad"));
        assertThat(aside.movedTo().getFileName().toString()).isEqualTo("bad.json.corrupt-20260602T100000.000Z");
        assertThat(aside.movedTo()).content().startsWith("{\"id\":\"bad\"");
        assertThat(file("bad")).doesNotExist();
    }

    @Test
    void readingACorruptSessionNamesWhereItWasMoved() throws Exception {
        Files.createDirectories(file("bad").getParent());
        Files.writeString(file("bad"), "[1,2,3]");

        assertThatThrownBy(() -> store.read("bad"))
                .isInstanceOfSatisfying(ChatSessionStore.SessionNotFoundException.class, e -> {
                    assertThat(e.setAside()).isPresent();
                    assertThat(e.getMessage()).contains("set aside as").contains("bad.json.corrupt-");
                });
        assertThat(setAsideFiles()).containsExactly("bad.json.corrupt-20260602T100000.000Z");
        // the id is free again
        store.create("alice", "bad", null);
    }

    @Test
    void toleratesMissingFieldsAndDropsOnlyUnreadableMessages() throws Exception {
        Files.createDirectories(file("old").getParent());
        Files.writeString(
                file("old"),
                "{\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"future\":true,\"messages\":["
                        + "{\"role\":\"user\",\"text\":\"first\",\"at\":\"2026-01-01T00:01:00.000Z\"},"
                        + "{\"role\":\"tool\",\"text\":\"unknown role\"},"
                        + "{\"role\":\"assistant\"},"
                        + "{\"role\":\"assistant\",\"text\":\"no time\"}]}");

        ChatSession session = store.read("old").orElseThrow();

        assertThat(session.id()).isEqualTo("old");
        assertThat(session.name()).isEqualTo("old");
        assertThat(session.messages()).extracting(ChatMessage::text).containsExactly("first", "no time");
        assertThat(session.messages().get(1).at()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(session.updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(session.droppedMessages()).isEqualTo(2);
        assertThat(session.lease()).isEmpty();
    }

    @Test
    void rewritingAFileWithUnreadableMessagesKeepsACopyOfTheOriginal() throws Exception {
        Files.createDirectories(file("old").getParent());
        String original = "{\"messages\":[{\"role\":\"user\",\"text\":\"kept\"},{\"role\":\"tool\",\"text\":\"?\"}]}";
        Files.writeString(file("old"), original);

        store.append("alice", "old", user("new"));

        assertThat(setAsideFiles()).containsExactly("old.json.corrupt-20260602T100000.000Z");
        assertThat(file("old").resolveSibling("old.json.corrupt-20260602T100000.000Z"))
                .hasContent(original);
        assertThat(store.read("old").orElseThrow().messages())
                .extracting(ChatMessage::text)
                .containsExactly("kept", "new");
    }

    @Test
    void listIsNewestFirstAndIgnoresFilesThatAreNotSessions() throws Exception {
        store.create("alice", "older", null);
        clock.advance(Duration.ofMinutes(1));
        store.create("alice", "newer", null);
        Files.writeString(stateRoot.resolve("chat/sessions/notes.txt"), "not a session");
        Files.writeString(stateRoot.resolve("chat/sessions/.hidden.json"), "{}");

        assertThat(store.list().sessions()).extracting(ChatSession::id).containsExactly("newer", "older");
    }

    @Test
    void idsThatCouldLeaveTheFolderAreRejected() {
        assertThat(ChatSessionStore.validId("cs-0123abcd")).isTrue();
        assertThat(ChatSessionStore.validId("My_Session-2")).isTrue();
        assertThat(ChatSessionStore.validId("..")).isFalse();
        assertThat(ChatSessionStore.validId("a/b")).isFalse();
        assertThat(ChatSessionStore.validId("a.json")).isFalse();
        assertThat(ChatSessionStore.validId("-x")).isFalse();
        assertThat(ChatSessionStore.validId("")).isFalse();
        assertThat(ChatSessionStore.validId("x".repeat(65))).isFalse();
        assertThatThrownBy(() -> store.read("../escape")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesAreWrittenAsPrettyJsonWithTheDocumentedFields() throws Exception {
        String id = store.create("alice", "s1", "n").id();
        store.append("alice", id, user("hi"));

        String json = Files.readString(file(id));
        assertThat(json)
                .contains(
                        "\"version\" : 1",
                        "\"id\" : \"s1\"",
                        "\"name\" : \"n\"",
                        "\"createdAt\"",
                        "\"updatedAt\"",
                        "\"lease\"",
                        "\"holder\" : \"alice\"",
                        "\"role\" : \"user\"",
                        "\"text\" : \"hi\"",
                        "\"at\" : \"2026-06-02T10:00:00.000Z\"");
        try (Stream<Path> files = Files.list(file(id).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("s1.json");
        }
    }
}
