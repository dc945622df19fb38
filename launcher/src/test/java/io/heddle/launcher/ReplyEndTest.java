package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a Ctrl-C stops being "during a reply": once the stream carries the stored reply or the notice replacing it. */
class ReplyEndTest {

    private static Map<String, Object> message(String role) {
        return Map.of("type", "message", "message", Map.of("role", role, "text", "x"));
    }

    @Test
    void theStoredAssistantReplyOrASystemNoticeEndsTheReply() {
        assertThat(ChatRun.replyEnded(message("assistant"))).isTrue();
        assertThat(ChatRun.replyEnded(message("system"))).isTrue();
    }

    @Test
    void chunksAndTheEchoedUserMessageDoNotEndTheReply() {
        assertThat(ChatRun.replyEnded(Map.of("type", "chunk", "text", "par"))).isFalse();
        assertThat(ChatRun.replyEnded(message("user"))).isFalse();
    }
}
