package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void keepsEverythingWhileItFits() {
        OutputTail tail = new OutputTail(8);
        tail.append(ascii("abc"), 0, 3);
        tail.append(ascii("de"), 0, 2);

        assertThat(tail.text()).isEqualTo("abcde");
        assertThat(tail.truncated()).isFalse();
        assertThat(tail.total()).isEqualTo(5);
    }

    @Test
    void keepsTheNewestBytesAcrossTheWrap() {
        OutputTail tail = new OutputTail(8);
        tail.append(ascii("abcdef"), 0, 6);
        tail.append(ascii("ghijk"), 0, 5);

        assertThat(tail.text()).isEqualTo("defghijk");
        assertThat(tail.truncated()).isTrue();
        assertThat(tail.total()).isEqualTo(11);
    }

    @Test
    void aChunkLargerThanTheTailKeepsItsEnd() {
        OutputTail tail = new OutputTail(4);
        tail.append(ascii("xy"), 0, 2);
        tail.append(ascii("0123456789"), 0, 10);

        assertThat(tail.text()).isEqualTo("6789");
        assertThat(tail.total()).isEqualTo(12);
    }
}
