package io.heddle.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatRole;
import io.heddle.itest.support.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that ends never keeps others out of its session: it gives its lease up
 * ({@link ChatSessionStore#releaseLease}), and a lease that names its holder's process is free
 * as soon as that process has ended (real processes, no fakes).
 */
class SessionLeaseHolderTest {

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

    private static ClientProcess self() {
        ProcessHandle me = ProcessHandle.current();
        return new ClientProcess(me.pid(), me.info().startInstant().orElseThrow());
    }

    @Test
    void theHolderGivingItsLeaseUpLetsTheNextWriterWriteAtOnce() throws Exception {
        store.create("heddle-chat-1", "s", null);
        store.append("heddle-chat-1", "s", user("hello"));

        store.releaseLease("heddle-chat-1", "s");

        assertThat(store.read("s").orElseThrow().lease()).isEmpty();
        ChatSession next = store.append("heddle-chat-2", "s", user("me next"));
        assertThat(next.lease().orElseThrow().holder()).isEqualTo("heddle-chat-2");
        assertThat(next.messages()).extracting(ChatMessage::text).containsExactly("hello", "me next");
    }

    @Test
    void anotherWriterCannotGiveUpARunningLeaseItDoesNotHold() throws Exception {
        store.create("heddle-chat-1", "s", null);

        assertThatThrownBy(() -> store.releaseLease("heddle-chat-2", "s"))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class)
                .hasMessageContaining("heddle-chat-1");
        assertThat(store.read("s").orElseThrow().lease().orElseThrow().holder()).isEqualTo("heddle-chat-1");
    }

    @Test
    void givingUpTheLeaseOfAnUnknownSessionIsNotFound() {
        assertThatThrownBy(() -> store.releaseLease("heddle-chat-1", "nope"))
                .isInstanceOf(ChatSessionStore.SessionNotFoundException.class);
    }

    @Test
    void aLeaseWhoseHolderProcessHasEndedIsFreeAtOnce() throws Exception {
        Process holder = new ProcessBuilder("sleep", "60").start();
        ClientProcess process =
                new ClientProcess(holder.pid(), holder.info().startInstant().orElseThrow());
        store.withWriterProcess(Optional.of(process)).create("heddle-chat-dead", "s", null);
        assertThat(store.read("s").orElseThrow().lease().orElseThrow().process().map(ClientProcess::pid))
                .contains(holder.pid());
        assertThatThrownBy(() -> store.append("heddle-chat-next", "s", user("too early")))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class);

        holder.destroyForcibly();
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

        ChatSession next = store.append("heddle-chat-next", "s", user("at once"));
        assertThat(next.lease().orElseThrow().holder()).isEqualTo("heddle-chat-next");
    }

    @Test
    void aLeaseWhoseHolderProcessRunsKeepsOthersOutUntilItExpires() throws Exception {
        store.withWriterProcess(Optional.of(self())).create("heddle-chat-me", "s", null);

        assertThatThrownBy(() -> store.append("heddle-chat-other", "s", user("no")))
                .isInstanceOf(ChatSessionStore.LeaseConflictException.class);
        clock.advance(LEASE);
        assertThat(store.append("heddle-chat-other", "s", user("now"))
                        .lease()
                        .orElseThrow()
                        .holder())
                .isEqualTo("heddle-chat-other");
    }

    @Test
    void aPidThatNowBelongsToAProcessStartedAtAnotherInstantCountsAsEnded() {
        ClientProcess me = self();

        assertThat(me.ended()).isFalse();
        assertThat(new ClientProcess(me.pid(), me.startedAt().minus(Duration.ofHours(1))).ended())
                .isTrue();
    }

    @Test
    void theProcessHeaderIsPidAndStartInstantAndAnythingElseIsNoProcess() {
        ClientProcess me = self();

        assertThat(ClientProcess.parse(me.headerValue())).contains(me);
        assertThat(ClientProcess.parse("42 2026-06-02T10:00:00Z"))
                .contains(new ClientProcess(42, Instant.parse("2026-06-02T10:00:00Z")));
        for (String bad : new String[] {
            "",
            "42",
            "x 2026-06-02T10:00:00Z",
            "0 2026-06-02T10:00:00Z",
            "-1 2026-06-02T10:00:00Z",
            "42 yesterday",
            "42 2026-06-02T10:00:00Z extra"
        }) {
            assertThat(ClientProcess.parse(bad)).as(bad).isEmpty();
        }
        assertThat(ClientProcess.parse(null)).isEmpty();
    }

    @Test
    void theHoldersProcessIsKeptInTheSessionFile() throws Exception {
        ClientProcess me = self();
        store.withWriterProcess(Optional.of(me)).create("heddle-chat-me", "s", null);

        ChatSession reread =
                ChatSessionStore.forStateRoot(stateRoot, clock, LEASE).read("s").orElseThrow();

        assertThat(reread.lease().orElseThrow().process().map(ClientProcess::pid))
                .contains(me.pid());
    }
}
