package io.heddle.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each protocol's reading of a streamed reply, frame by frame, as the providers document it. */
class ModelStreamReadersTest {

    private final List<String> chunks = new ArrayList<>();

    private ModelProtocol.StreamReader feed(ModelProtocol protocol, String body) throws ModelStreamException {
        ModelProtocol.StreamReader reader = protocol.reader(chunks::add);
        new SseFrameParser(reader).feed(body.getBytes(StandardCharsets.UTF_8));
        return reader;
    }

    @Test
    void openAiDeltasBecomeChunksUpToDone() throws Exception {
        ModelProtocol.StreamReader reader = feed(
                new OpenAiProtocol(),
                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                        + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
                        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n");
        assertThat(chunks).containsExactly("Hel", "lo");
        assertThat(reader.finished()).isFalse();
        new SseFrameParser(reader).feed("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.finished()).isTrue();
    }

    @Test
    void openAiAFinishReasonAlsoEndsTheReply() throws Exception {
        ModelProtocol.StreamReader reader = feed(
                new OpenAiProtocol(),
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        assertThat(reader.finished()).isTrue();
    }

    @Test
    void openAiAnErrorObjectInTheStreamFailsWithItsMessage() {
        assertThatThrownBy(() -> feed(
                        new OpenAiProtocol(),
                        "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"))
                .isInstanceOf(ModelStreamException.class)
                .hasMessageContaining("server_error: overloaded");
    }

    @Test
    void openAiAFrameThatIsNotJsonOrHasNoChoicesIsMalformed() {
        assertThatThrownBy(() -> feed(new OpenAiProtocol(), "data: {nope\n\n"))
                .isInstanceOf(ModelStreamException.class)
                .hasMessageContaining("not valid openai stream data");
        assertThatThrownBy(() -> feed(new OpenAiProtocol(), "data: {\"id\":1}\n\n"))
                .isInstanceOf(ModelStreamException.class)
                .hasMessageContaining("without 'choices'");
    }

    @Test
    void anthropicTextDeltasBecomeChunksAndMessageStopEndsTheReply() throws Exception {
        ModelProtocol.StreamReader reader = feed(
                new AnthropicProtocol(),
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\"}}\n\n"
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0}\n\n"
                        + "event: ping\ndata: {\"type\": \"ping\"}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n"
                        + "event: some_future_event\ndata: {\"type\":\"some_future_event\"}\n\n"
                        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                        + "\"end_turn\"}}\n\n");
        assertThat(chunks).containsExactly("Hi");
        assertThat(reader.finished()).isFalse();
        new SseFrameParser(reader)
                .feed("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.finished()).isTrue();
    }

    @Test
    void anthropicAnErrorEventFailsWithItsTypeAndMessage() {
        assertThatThrownBy(() -> feed(
                        new AnthropicProtocol(),
                        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\n"
                                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                + "\"message\":\"Overloaded\"}}\n\n"))
                .isInstanceOf(ModelStreamException.class)
                .hasMessageContaining("overloaded_error: Overloaded");
    }

    @Test
    void anthropicAMalformedFrameFails() {
        assertThatThrownBy(() -> feed(new AnthropicProtocol(), "event: content_block_delta\ndata: {\"delta\n\n"))
                .isInstanceOf(ModelStreamException.class)
                .hasMessageContaining("not valid anthropic stream data");
    }

    @Test
    void errorBodiesOfBothProtocolsAreReadToOneLine() {
        assertThat(ModelProtocol.errorDetail(
                        "{\"error\":{\"message\":\"Invalid model\",\"type\":\"invalid_request_error\"}}"
                                .getBytes(StandardCharsets.UTF_8)))
                .contains("invalid_request_error: Invalid model");
        assertThat(ModelProtocol.errorDetail(
                        ("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":" + "\"model: x\"}}")
                                .getBytes(StandardCharsets.UTF_8)))
                .contains("not_found_error: model: x");
        assertThat(ModelProtocol.errorDetail("{\"error\":\"model 'x' not found\"}".getBytes(StandardCharsets.UTF_8)))
                .contains("model 'x' not found");
        assertThat(ModelProtocol.errorDetail("<html>\n Bad gateway </html>".getBytes(StandardCharsets.UTF_8)))
                .contains("<html> Bad gateway </html>");
    }
}
