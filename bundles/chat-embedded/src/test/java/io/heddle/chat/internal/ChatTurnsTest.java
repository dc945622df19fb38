package io.heddle.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatReplyStream;
import io.heddle.api.chat.ChatRole;
import io.heddle.api.chat.ChatTopics;
import io.heddle.itest.support.MutableClock;
import io.heddle.itest.support.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class ChatTurnsTest {

    @TempDir
    Path stateRoot;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-02T10:00:00Z"));
    private final List<Event> posted = new CopyOnWriteArrayList<>();
    private final ChatEngines engines = new ChatEngines();
    private ScheduledExecutorService timers;
    private ChatTurns turns;
    private ChatSessionStore store;

    /** Records what the endpoint would stream. */
    private final List<String> heard = new ArrayList<>();

    private final ChatTurns.Listener listener = new ChatTurns.Listener() {
        @Override
        public void messageStored(ChatMessage message, int index) {
            heard.add("message " + index + " " + message.role().wireName());
        }

        @Override
        public void chunk(String replyId, int seq, String text) {
            heard.add("chunk " + seq + " " + text);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        timers = Executors.newSingleThreadScheduledExecutor();
        EventAdmin events = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        };
        turns = new ChatTurns(engines, new ChatEvents(() -> events), timers, clock);
        store = ChatSessionStore.forStateRoot(stateRoot, clock, Duration.ofSeconds(30));
        store.create("alice", "s1", null);
    }

    @AfterEach
    void tearDown() {
        timers.shutdownNow();
    }

    private static ChatEngine engine(String name, ReplyBody body) {
        return new ChatEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void reply(ChatConversation conversation, ChatReplyStream reply) throws ChatEngineException {
                body.reply(conversation, reply);
            }
        };
    }

    interface ReplyBody {
        void reply(ChatConversation conversation, ChatReplyStream reply) throws ChatEngineException;
    }

    private ChatTurns.Turn send(String writer, String text) throws Exception {
        return turns.send("server-1", stateRoot, store, writer, "s1", text, "Configure one.", listener);
    }

    private List<String> topics() {
        List<String> out = new ArrayList<>();
        posted.forEach(e -> out.add(e.getTopic().substring(ChatTopics.PREFIX.length())));
        return out;
    }

    @Test
    void withNoEngineTheMessageIsStoredAndTheReplySaysSoExplicitly() throws Exception {
        ChatTurns.Turn turn = send("alice", "hello?");

        assertThat(turn.outcome()).isEqualTo("no_engine");
        assertThat(turn.replies()).hasSize(1);
        assertThat(turn.replies().get(0).role()).isEqualTo(ChatRole.SYSTEM);
        assertThat(turn.replies().get(0).text())
                .startsWith("No chat engine is configured")
                .endsWith("Configure one.");
        assertThat(store.read("s1").orElseThrow().messages())
                .extracting(ChatMessage::role)
                .containsExactly(ChatRole.USER, ChatRole.SYSTEM);
        assertThat(topics()).containsExactly("MESSAGE_ADDED", "MESSAGE_ADDED", "REPLY_DONE");
        Event done = posted.get(2);
        assertThat(done.getProperty("outcome")).isEqualTo("no_engine");
        assertThat(done.getProperty("serverId")).isEqualTo("server-1");
        assertThat(done.getProperty("sessionId")).isEqualTo("s1");
    }

    @Test
    void engineRepliesInChunksThatAreStreamedPostedAndStoredAsOneMessage() throws Exception {
        List<ChatConversation> seen = new ArrayList<>();
        engines.add(
                engine("echo", (conversation, reply) -> {
                    seen.add(conversation);
                    reply.chunk("you said: ");
                    reply.chunk("");
                    reply.chunk(conversation.lastMessage().text());
                }),
                Map.of());

        ChatTurns.Turn turn = send("alice", "hi");

        assertThat(turn.outcome()).isEqualTo("completed");
        assertThat(turn.engine()).contains("echo");
        assertThat(turn.replies())
                .extracting(ChatMessage::role, ChatMessage::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ChatRole.ASSISTANT, "you said: hi"));
        assertThat(heard).containsExactly("message 0 user", "chunk 0 you said: ", "chunk 1 hi", "message 1 assistant");
        assertThat(topics())
                .containsExactly("MESSAGE_ADDED", "REPLY_CHUNK", "REPLY_CHUNK", "MESSAGE_ADDED", "REPLY_DONE");
        assertThat(posted.get(1).getProperty("replyId")).isEqualTo(turn.replyId());
        assertThat(seen.get(0).workspaceRoot()).isEqualTo(stateRoot);
    }

    @Test
    void systemNoticesAreNotPartOfTheConversationAnEngineSees() throws Exception {
        send("alice", "first, no engine yet");
        List<ChatConversation> seen = new ArrayList<>();
        engines.add(
                engine("e", (conversation, reply) -> {
                    seen.add(conversation);
                    reply.chunk("ok");
                }),
                Map.of());

        send("alice", "second");

        assertThat(seen.get(0).messages())
                .extracting(ChatMessage::text)
                .containsExactly("first, no engine yet", "second");
    }

    @Test
    void failedEngineKeepsThePartialReplyAndAddsANotice() throws Exception {
        engines.add(
                engine("flaky", (conversation, reply) -> {
                    reply.chunk("half");
                    throw new ChatEngineException("the model crashed.");
                }),
                Map.of());

        ChatTurns.Turn turn = send("alice", "hi");

        assertThat(turn.outcome()).isEqualTo("failed");
        assertThat(turn.replies())
                .extracting(ChatMessage::role, ChatMessage::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChatRole.ASSISTANT, "half"),
                        org.assertj.core.groups.Tuple.tuple(
                                ChatRole.SYSTEM, "The flaky engine did not finish its reply: the model crashed."));
    }

    @Test
    void engineThatSaysNothingGetsANoticeNotAnEmptyAnswer() throws Exception {
        engines.add(engine("mute", (conversation, reply) -> {}), Map.of());

        ChatTurns.Turn turn = send("alice", "hi");

        assertThat(turn.replies()).extracting(ChatMessage::role).containsExactly(ChatRole.SYSTEM);
        assertThat(turn.replies().get(0).text()).contains("ended without a reply");
    }

    @Test
    void aCancelledReplyKeepsItsPartAndEndsCancelledWithANotice() throws Exception {
        CountDownLatch chunked = new CountDownLatch(1);
        engines.add(
                engine("slow", (conversation, reply) -> {
                    reply.chunk("the start");
                    chunked.countDown();
                    Poll.until("the reply is cancelled", Duration.ofSeconds(10), reply::cancelled);
                    throw new ChatEngineException("the reply was cancelled.");
                }),
                Map.of());
        assertThat(turns.cancel(store, "s1")).as("nothing runs yet").isFalse();
        CompletableFuture<ChatTurns.Turn> turn = CompletableFuture.supplyAsync(() -> {
            try {
                return send("alice", "hi");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(chunked.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(turns.cancel(store, "s1")).isTrue();

        ChatTurns.Turn done = turn.get(10, TimeUnit.SECONDS);
        assertThat(done.outcome()).isEqualTo("cancelled");
        assertThat(done.replies())
                .extracting(ChatMessage::role, ChatMessage::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ChatRole.ASSISTANT, "the start"),
                        org.assertj.core.groups.Tuple.tuple(
                                ChatRole.SYSTEM,
                                "The reply was stopped on request; the part that arrived is kept above. Send a message to "
                                        + "go on."));
        assertThat(posted.get(posted.size() - 1).getProperty("outcome")).isEqualTo("cancelled");
        assertThat(store.read("s1").orElseThrow().messages())
                .extracting(ChatMessage::text)
                .containsExactly("hi", "the start", done.replies().get(1).text());
    }

    @Test
    void theEngineASessionNamesAnswersInsteadOfTheHighestRanked() throws Exception {
        engines.add(engine("high", (c, r) -> r.chunk("high")), Map.of("service.ranking", 10, "service.id", 6L));
        engines.add(engine("chosen", (c, r) -> r.chunk("chosen")), Map.of("service.ranking", "1", "service.id", 7L));
        store.patch("alice", "s1", null, java.util.Optional.of("chosen"));

        assertThat(send("alice", "hi").engine()).contains("chosen");

        store.patch("alice", "s1", null, java.util.Optional.empty());
        assertThat(send("alice", "again").engine()).contains("high");
    }

    @Test
    void aSessionNamingAnEngineThatIsGoneGetsANoticeNotAnotherEngine() throws Exception {
        engines.add(engine("other", (c, r) -> r.chunk("other")), Map.of());
        store.patch("alice", "s1", null, java.util.Optional.of("gone"));

        ChatTurns.Turn turn = send("alice", "hi");

        assertThat(turn.outcome()).isEqualTo("no_engine");
        assertThat(turn.replies()).extracting(ChatMessage::role).containsExactly(ChatRole.SYSTEM);
        assertThat(turn.replies().get(0).text())
                .contains("asks for the engine 'gone'")
                .contains("configured: other")
                .contains("--engine NAME");
    }

    @Test
    void highestRankedEngineAnswers() throws Exception {
        engines.add(engine("low", (c, r) -> r.chunk("low")), Map.of("service.ranking", 1, "service.id", 5L));
        engines.add(engine("high", (c, r) -> r.chunk("high")), Map.of("service.ranking", 10, "service.id", 6L));
        engines.add(engine("tie-newer", (c, r) -> r.chunk("no")), Map.of("service.ranking", 10, "service.id", 7L));

        assertThat(send("alice", "hi").engine()).contains("high");
    }

    @Test
    void anotherWritersMessageIsRefusedBeforeAnythingIsStoredOrStreamed() {
        assertThatThrownBy(() -> send("bob", "let me in")).isInstanceOf(ChatSessionStore.LeaseConflictException.class);
        assertThat(heard).isEmpty();
        assertThat(posted).isEmpty();
    }

    @Test
    void oneReplyAtATimePerSession() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        engines.add(
                engine("slow", (conversation, reply) -> {
                    started.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    reply.chunk("done");
                }),
                Map.of());
        CompletableFuture<ChatTurns.Turn> first = CompletableFuture.supplyAsync(() -> {
            try {
                return turns.send("server-1", stateRoot, store, "alice", "s1", "one", "", new ChatTurns.Listener() {
                    @Override
                    public void messageStored(ChatMessage message, int index) {}

                    @Override
                    public void chunk(String replyId, int seq, String text) {}
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(turns.replying(store, "s1")).isTrue();
        assertThatThrownBy(() -> send("alice", "two")).isInstanceOf(ChatTurns.ReplyInProgressException.class);

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo("completed");
        assertThat(turns.replying(store, "s1")).isFalse();
    }

    @Test
    void cancelledReplyIsStoredAsFarAsItGotWithANotice() throws Exception {
        engines.add(
                engine("long", (conversation, reply) -> {
                    reply.chunk("so far");
                    turns.cancelAll();
                    if (reply.cancelled()) {
                        throw new ChatEngineException("cancelled.");
                    }
                }),
                Map.of());

        ChatTurns.Turn turn = send("alice", "hi");

        assertThat(turn.outcome()).isEqualTo("failed");
        assertThat(turn.replies())
                .extracting(ChatMessage::text)
                .containsExactly("so far", "The long engine did not finish its reply: cancelled.");
    }
}
