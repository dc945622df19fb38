package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionServletTest {

    @Test
    void signedInOnlyWithThisServersTokenByBearerOrCookie() {
        assertThat(SessionServlet.signedIn("Bearer tok", null, "tok")).isTrue();
        assertThat(SessionServlet.signedIn(null, "tok", "tok")).isTrue();
        assertThat(SessionServlet.signedIn(null, "other", "tok")).isFalse();
        assertThat(SessionServlet.signedIn("Bearer wrong", "tok", "tok"))
                .as("a wrong bearer is not rescued by the cookie")
                .isFalse();
        assertThat(SessionServlet.signedIn(null, null, "tok")).isFalse();
    }
}
