package io.heddle.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.lifecycle.internal.AccessRules.Verdict;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private final AccessRules loopback = new AccessRules("127.0.0.1", 8765, "secret-token");
    private final AccessRules wide = new AccessRules("0.0.0.0", 8765, "secret-token");

    @Test
    void loopbackNamesWithTheBoundPortPass() {
        assertThat(loopback.judge("GET", "127.0.0.1:8765", null, -1)).isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge("GET", "localhost:8765", null, -1)).isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge("GET", "LOCALHOST:8765", null, -1)).isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge("GET", "[::1]:8765", null, -1)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void rebindingHostsAreForbidden() {
        assertThat(loopback.judge("GET", "evil.example", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "evil.example:8765", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "localhost.evil.example:8765", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "127.0.0.1:9999", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "127.0.0.1", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", null, null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
    }

    @Test
    void mutatingMethodsNeedTheToken() {
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "post"}) {
            assertThat(loopback.judge(method, "127.0.0.1:8765", null, -1)).as(method).isEqualTo(Verdict.TOKEN_REQUIRED);
            assertThat(loopback.judge(method, "127.0.0.1:8765", "wrong", -1)).as(method).isEqualTo(Verdict.TOKEN_REQUIRED);
            assertThat(loopback.judge(method, "127.0.0.1:8765", "secret-token", -1)).as(method).isEqualTo(Verdict.ALLOW);
        }
    }

    @Test
    void nonLoopbackBindNeedsTheTokenForEveryRequestButNoHostCheck() {
        assertThat(wide.loopbackBind()).isFalse();
        assertThat(wide.judge("GET", "my-laptop.lan:8765", null, -1)).isEqualTo(Verdict.TOKEN_REQUIRED);
        assertThat(wide.judge("GET", "my-laptop.lan:8765", "secret-token", -1)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void declaredBodiesOverOneMebibyteAreRefused() {
        assertThat(loopback.judge("POST", "127.0.0.1:8765", "secret-token", AccessRules.MAX_BODY_BYTES))
                .isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge("POST", "127.0.0.1:8765", "secret-token", AccessRules.MAX_BODY_BYTES + 1))
                .isEqualTo(Verdict.BODY_TOO_LARGE);
    }

    @Test
    void bearerTokensAreReadCaseInsensitively() {
        assertThat(AccessRules.bearer("Bearer abc")).contains("abc");
        assertThat(AccessRules.bearer("bearer abc ")).contains("abc");
        assertThat(AccessRules.bearer("Basic abc")).isEmpty();
        assertThat(AccessRules.bearer(null)).isEmpty();
    }

    @Test
    void loopbackDetectionNeverResolvesNames() {
        assertThat(AccessRules.isLoopback("127.0.0.1")).isTrue();
        assertThat(AccessRules.isLoopback("127.1.2.3")).isTrue();
        assertThat(AccessRules.isLoopback("::1")).isTrue();
        assertThat(AccessRules.isLoopback("[::1]")).isTrue();
        assertThat(AccessRules.isLoopback("localhost")).isTrue();
        assertThat(AccessRules.isLoopback("0.0.0.0")).isFalse();
        assertThat(AccessRules.isLoopback("example.com")).isFalse();
    }
}
