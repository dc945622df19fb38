package io.heddle.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatReplyStream;
import io.heddle.api.chat.ChatRole;
import io.heddle.itest.support.FakeModelProvider;
import io.heddle.itest.support.FakeModelProvider.Answer;
import io.heddle.itest.support.FakeModelProvider.Ending;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both protocols against the loopback fake provider: replies, and every failure. */
class HttpModelEngineTest {

    private static final String KEY = "sk-test-0123456789abcdef";

    @TempDir
    Path dir;

    private FakeModelProvider provider;
    private Path keyFile;

    @BeforeEach
    void start() throws IOException {
        provider = FakeModelProvider.start();
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    /** Collects a reply; can be told to cancel after some chunks. */
    private static final class Reply implements ChatReplyStream {
        final List<String> chunks = new CopyOnWriteArrayList<>();
        volatile int cancelAfter = Integer.MAX_VALUE;

        @Override
        public void chunk(String text) {
            chunks.add(text);
        }

        @Override
        public boolean cancelled() {
            return chunks.size() >= cancelAfter;
        }

        String text() {
            return String.join("", chunks);
        }
    }

    private HttpModelEngine engine(String protocol, Map<String, Object> more) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", "io.heddle.chat.engine." + protocol + "~test");
        props.put("model", "fake-model");
        props.put("apiKeyFile", keyFile.toString());
        props.put("idleTimeoutMs", "2000");
        props.put("timeoutMs", 20000L);
        props.put("temperature", "0.5");
        props.putAll(more);
        if (protocol.equals("openai")) {
            props.putIfAbsent("baseUrl", provider.openAiBaseUrl());
            return new HttpModelEngine(
                    EngineSettings.parse(
                            props, "io.heddle.chat.engine.openai", null, OpenAiProtocol.SAMPLING, Map.of()),
                    new OpenAiProtocol());
        }
        props.putIfAbsent("baseUrl", provider.anthropicBaseUrl());
        return new HttpModelEngine(
                EngineSettings.parse(
                        props,
                        "io.heddle.chat.engine.anthropic",
                        AnthropicProtocol.DEFAULT_BASE_URL,
                        AnthropicProtocol.SAMPLING,
                        Map.of("anthropicVersion", AnthropicProtocol.DEFAULT_VERSION)),
                new AnthropicProtocol());
    }

    private HttpModelEngine engine(String protocol) {
        return engine(protocol, Map.of());
    }

    private ChatConversation conversation() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new ChatConversation(
                "cs-1",
                "Test",
                dir,
                List.of(
                        new ChatMessage(ChatRole.USER, "Hi there", now),
                        new ChatMessage(ChatRole.SYSTEM, "a notice that is never sent", now),
                        new ChatMessage(ChatRole.ASSISTANT, "Hello", now),
                        new ChatMessage(ChatRole.USER, "Say \"more\"", now)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aReplyStreamsChunkByChunk(String protocol) throws Exception {
        provider.enqueue(Answer.reply("Hel", "lo ", "w\u00f6rld"));
        Reply reply = new Reply();
        engine(protocol).reply(conversation(), reply);
        assertThat(reply.chunks).containsExactly("Hel", "lo ", "w\u00f6rld");
        FakeModelProvider.Request request = provider.requests().get(0);
        assertThat(request.body())
                .contains("\"stream\":true", "\"model\":\"fake-model\"", "\"temperature\":0.5", "Say \\\"more\\\"")
                .doesNotContain("never sent");
        if (protocol.equals("openai")) {
            assertThat(request.path()).isEqualTo("/v1/chat/completions");
            assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY);
        } else {
            assertThat(request.path()).isEqualTo("/v1/messages");
            assertThat(request.headers())
                    .containsEntry("x-api-key", KEY)
                    .containsEntry("anthropic-version", AnthropicProtocol.DEFAULT_VERSION);
            assertThat(request.body()).contains("\"max_tokens\":1024");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void framesSplitIntoSmallReadsWithCrLfAndKeepAlivesStillMakeTheReply(String protocol) throws Exception {
        provider.enqueue(
                Answer.reply("one ", "two ", "three").splitEvery(3).crlf().keepAlives());
        Reply reply = new Reply();
        engine(protocol).reply(conversation(), reply);
        assertThat(reply.text()).isEqualTo("one two three");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void statusFailuresSayWhatHappenedAndWhatToDo(String protocol) {
        Object[][] cases = {
            {401, "authentication_error", "check the key in the key file"},
            {403, "permission_error", "may not have access to model 'fake-model'"},
            {404, "not_found_error", "does not know model 'fake-model'"},
            {500, "api_error", "the server failed (500): try again later"},
            {400, "invalid_request_error", "rejected the request (400)"},
        };
        for (Object[] c : cases) {
            provider.enqueue(Answer.status((Integer) c[0], (String) c[1], "details from the provider"));
            assertThatThrownBy(() -> engine(protocol).reply(conversation(), new Reply()))
                    .as("status %s", c[0])
                    .isInstanceOf(ChatEngineException.class)
                    .hasMessageContaining((String) c[2])
                    .hasMessageContaining("details from the provider");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void a429WithRetryAfterIsRetriedOnce(String protocol) throws Exception {
        provider.enqueue(Answer.status(429, "rate_limit_error", "slow down").header("Retry-After", "0"));
        provider.enqueue(Answer.reply("after ", "the wait"));
        Reply reply = new Reply();
        engine(protocol).reply(conversation(), reply);
        assertThat(reply.text()).isEqualTo("after the wait");
        assertThat(provider.requests()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void a429AgainAfterTheWaitOrWithoutRetryAfterFails(String protocol) {
        provider.enqueue(Answer.status(429, "rate_limit_error", "slow down").header("Retry-After", "0"));
        provider.enqueue(
                Answer.status(429, "rate_limit_error", "still too fast").header("Retry-After", "0"));
        assertThatThrownBy(() -> engine(protocol).reply(conversation(), new Reply()))
                .hasMessageContaining("rate-limiting")
                .hasMessageContaining("also after the wait");
        assertThat(provider.requests()).hasSize(2);
        provider.enqueue(Answer.status(429, "rate_limit_error", "no header"));
        assertThatThrownBy(() -> engine(protocol).reply(conversation(), new Reply()))
                .hasMessageContaining("rate-limiting")
                .hasMessageContaining("wait a while");
        assertThat(provider.requests()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aRefusedConnectionSaysTheServerIsNotRunning(String protocol) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        HttpModelEngine engine = engine(protocol, Map.of("baseUrl", "http://127.0.0.1:" + port));
        assertThatThrownBy(() -> engine.reply(conversation(), new Reply()))
                .hasMessageContaining("could not connect to http://127.0.0.1:" + port)
                .hasMessageContaining("is the model server running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aStreamCutMidReplyKeepsTheChunksThatArrived(String protocol) {
        provider.enqueue(Answer.reply("kept ", "part").then(Ending.CUT));
        Reply reply = new Reply();
        assertThatThrownBy(() -> engine(protocol).reply(conversation(), reply))
                .hasMessageContaining("the part that arrived is kept");
        assertThat(reply.text()).isEqualTo("kept part");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aMalformedFrameFailsAndKeepsTheChunksThatArrived(String protocol) {
        provider.enqueue(Answer.reply("kept").then(Ending.MALFORMED));
        Reply reply = new Reply();
        assertThatThrownBy(() -> engine(protocol).reply(conversation(), reply))
                .hasMessageContaining("not valid " + protocol + " stream data");
        assertThat(reply.text()).isEqualTo("kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void anErrorEventMidReplyFails(String protocol) {
        provider.enqueue(Answer.reply("kept").then(Ending.ERROR_EVENT));
        Reply reply = new Reply();
        assertThatThrownBy(() -> engine(protocol).reply(conversation(), reply))
                .hasMessageContaining("reported an error in the middle of the reply");
        assertThat(reply.text()).isEqualTo("kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void anAnswerThatIsNotAStreamSaysTheServerMayNotSpeakTheProtocol(String protocol) {
        provider.enqueue(Answer.notStreaming("{\"id\":\"x\",\"choices\":[]}"));
        assertThatThrownBy(() -> engine(protocol).reply(conversation(), new Reply()))
                .hasMessageContaining("not an event stream")
                .hasMessageContaining("speaks the " + protocol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aSilentServerTimesOutAfterIdleTimeout(String protocol) {
        provider.enqueue(Answer.reply("kept").then(Ending.STALL));
        Reply reply = new Reply();
        assertThatThrownBy(
                        () -> engine(protocol, Map.of("idleTimeoutMs", "300")).reply(conversation(), reply))
                .hasMessageContaining("sent nothing for 300 ms")
                .hasMessageContaining("idleTimeoutMs");
        assertThat(reply.text()).isEqualTo("kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aCancelledReplyStopsAndKeepsWhatArrived(String protocol) {
        provider.enqueue(Answer.reply("first").then(Ending.STALL));
        Reply reply = new Reply();
        reply.cancelAfter = 1;
        assertThatThrownBy(() ->
                        engine(protocol, Map.of("idleTimeoutMs", "600000")).reply(conversation(), reply))
                .hasMessageContaining("cancelled");
        assertThat(reply.text()).isEqualTo("first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aKeyTheServerQuotesBackIsBlankedOut(String protocol) {
        provider.enqueue(
                Answer.status(401, "authentication_error", "invalid key").echoingKey());
        assertThatThrownBy(() -> engine(protocol).reply(conversation(), new Reply()))
                .hasMessageContaining("invalid key (key [redacted])")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aKeyFileOthersCanReadMakesTheEngineUnusableWithoutAsking(String protocol) throws Exception {
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        HttpModelEngine engine = engine(protocol);
        assertThat(engine.problem())
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("can be read by others")
                        .contains("chmod 600 " + keyFile)
                        .doesNotContain(KEY));
        assertThatThrownBy(() -> engine.reply(conversation(), new Reply())).hasMessageContaining("not usable");
        assertThat(provider.requests()).isEmpty();
    }
}
