package io.heddle.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFrameParserTest {

    private final List<SseFrameParser.Frame> frames = new ArrayList<>();
    private final SseFrameParser parser = new SseFrameParser(frames::add);

    private void feed(String text) throws ModelStreamException {
        parser.feed(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFrameEndsAtABlankLineAndIsNamedMessageWithoutAnEvent() throws Exception {
        feed("data: {\"a\":1}\n\n");
        assertThat(frames).containsExactly(new SseFrameParser.Frame("message", "{\"a\":1}"));
    }

    @Test
    void anEventLineNamesTheFrame() throws Exception {
        feed("event: content_block_delta\ndata: {\"x\":true}\n\n");
        assertThat(frames).containsExactly(new SseFrameParser.Frame("content_block_delta", "{\"x\":true}"));
    }

    @Test
    void framesSplitAcrossReadsAtEveryByteComeOutWhole() throws Exception {
        byte[] body = "event: a\ndata: hello w\u00f6rld\n\ndata: second\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : body) {
            parser.feed(new byte[] {b}, 0, 1);
        }
        assertThat(frames)
                .containsExactly(
                        new SseFrameParser.Frame("a", "hello w\u00f6rld"),
                        new SseFrameParser.Frame("message", "second"));
    }

    @Test
    void multiLineDataIsJoinedWithNewlines() throws Exception {
        feed("data: first\ndata: second\ndata:third\n\n");
        assertThat(frames).extracting(SseFrameParser.Frame::data).containsExactly("first\nsecond\nthird");
    }

    @Test
    void commentsAndKeepAlivesAreSkippedAndCounted() throws Exception {
        feed(": keep-alive\n\n:\n\ndata: x\n: in the middle\n\n");
        assertThat(frames).extracting(SseFrameParser.Frame::data).containsExactly("x");
        assertThat(parser.comments()).isEqualTo(3);
    }

    @Test
    void crLfAndLoneCrEndLinesLikeLf() throws Exception {
        feed("data: one\r\n\r\ndata: two\r\rdata: three\n\n");
        assertThat(frames).extracting(SseFrameParser.Frame::data).containsExactly("one", "two", "three");
    }

    @Test
    void aCrLfSplitBetweenReadsIsOneLineEnd() throws Exception {
        feed("data: one\r");
        feed("\n\r");
        feed("\ndata: two\r\n\r\n");
        assertThat(frames).extracting(SseFrameParser.Frame::data).containsExactly("one", "two");
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() throws Exception {
        feed("data:  two spaces\n\n");
        assertThat(frames).extracting(SseFrameParser.Frame::data).containsExactly(" two spaces");
    }

    @Test
    void aFrameWithoutDataIsNotHandedOnAndIdAndRetryAreIgnored() throws Exception {
        feed("event: ping\n\nid: 7\nretry: 100\ndata: x\n\n");
        assertThat(frames).containsExactly(new SseFrameParser.Frame("message", "x"));
    }

    @Test
    void aPartialFrameAtTheEndIsReportedAndNotHandedOn() throws Exception {
        feed("data: complete\n\ndata: {\"half");
        assertThat(frames).hasSize(1);
        assertThat(parser.midFrame()).isTrue();
    }

    @Test
    void anOverlongLineIsAMalformedStream() {
        byte[] big = new byte[SseFrameParser.MAX_LINE_BYTES + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        assertThatThrownBy(() -> parser.feed(big))
                .isInstanceOf(ModelStreamException.class)
                .hasMessageContaining("malformed stream");
    }
}
