package io.heddle.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.jsonhttp.internal.RequestBodies;
import io.heddle.lifecycle.internal.AccessRules.RequestFacts;
import io.heddle.lifecycle.internal.AccessRules.TokenSource;
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
        assertThat(loopback.judge("GET", "localhost.evil.example:8765", null, -1))
                .isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "127.0.0.1:9999", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "127.0.0.1", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", null, null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
        assertThat(loopback.judge("GET", "", null, -1)).isEqualTo(Verdict.FORBIDDEN_HOST);
    }

    @Test
    void mutatingMethodsNeedTheToken() {
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "post"}) {
            assertThat(loopback.judge(method, "127.0.0.1:8765", null, -1))
                    .as(method)
                    .isEqualTo(Verdict.TOKEN_REQUIRED);
            assertThat(loopback.judge(method, "127.0.0.1:8765", "wrong", -1))
                    .as(method)
                    .isEqualTo(Verdict.TOKEN_REQUIRED);
            assertThat(loopback.judge(method, "127.0.0.1:8765", "secret-token", -1))
                    .as(method)
                    .isEqualTo(Verdict.ALLOW);
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
        assertThat(loopback.judge("POST", "127.0.0.1:8765", "secret-token", RequestBodies.MAX_BYTES))
                .isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge("POST", "127.0.0.1:8765", "secret-token", RequestBodies.MAX_BYTES + 1))
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

    // --- the origin check for the cookie, and the media-type rule ---

    private static final String HOST = "127.0.0.1:8765";

    private static RequestFacts cookie(String method, String origin, String secFetchSite) {
        return new RequestFacts(
                method, HOST, "secret-token", TokenSource.COOKIE, origin, secFetchSite, null, false, -1);
    }

    private static RequestFacts bearer(String method, String origin, String contentType, boolean body) {
        return new RequestFacts(
                method, HOST, "secret-token", TokenSource.BEARER, origin, null, contentType, body, body ? 2 : -1);
    }

    @Test
    void cookieMutationFromAForeignOriginIsForbidden() {
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            assertThat(loopback.judge(cookie(method, "http://evil.example", null)))
                    .as(method)
                    .isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        }
    }

    @Test
    void cookieMutationFromAnotherPortOfLocalhostIsForbidden() {
        // same-site for the browser, so SameSite=Strict lets the cookie through: the origin check must not
        assertThat(loopback.judge(cookie("POST", "http://localhost:3000", null)))
                .isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        assertThat(loopback.judge(cookie("POST", "http://127.0.0.1:8766", null)))
                .isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        assertThat(loopback.judge(cookie("POST", "http://127.0.0.1", null))).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
    }

    @Test
    void cookieMutationWithOddOriginsIsForbidden() {
        for (String origin : new String[] {
            "null",
            "",
            "https://127.0.0.1:8765",
            "http://127.0.0.1:8765/",
            "http://127.0.0.1:8765/api",
            "http://user@127.0.0.1:8765",
            "file://",
            "http://",
            "127.0.0.1:8765",
            "http://127.0.0.1:8765.evil.example",
            "http://localhost.:8765"
        }) {
            assertThat(loopback.judge(cookie("POST", origin, null))).as(origin).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        }
    }

    @Test
    void cookieMutationFromTheServersOwnOriginIsAllowedUnderEveryHostForm() {
        for (String origin : new String[] {
            "http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765", "HTTP://LOCALHOST:8765"
        }) {
            assertThat(loopback.judge(cookie("POST", origin, null))).as(origin).isEqualTo(Verdict.ALLOW);
        }
    }

    @Test
    void withoutOriginOnlySecFetchSiteSameOriginVouchesForACookieMutation() {
        assertThat(loopback.judge(cookie("POST", null, "same-origin"))).isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge(cookie("POST", null, "Same-Origin"))).isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge(cookie("POST", null, "same-site"))).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        assertThat(loopback.judge(cookie("POST", null, "cross-site"))).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        assertThat(loopback.judge(cookie("POST", null, "none"))).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        assertThat(loopback.judge(cookie("POST", null, null))).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
        // Origin, when present, decides: a forged-looking Sec-Fetch-Site does not rescue a foreign Origin
        assertThat(loopback.judge(cookie("POST", "http://evil.example", "same-origin")))
                .isEqualTo(Verdict.FORBIDDEN_ORIGIN);
    }

    @Test
    void cookieReadsNeedNoOrigin() {
        assertThat(loopback.judge(cookie("GET", "http://evil.example", "cross-site")))
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aWrongCookieIsATokenProblemBeforeAnOriginProblem() {
        RequestFacts wrong = new RequestFacts(
                "POST", HOST, "wrong", TokenSource.COOKIE, "http://evil.example", null, null, false, -1);
        assertThat(loopback.judge(wrong)).isEqualTo(Verdict.TOKEN_REQUIRED);
    }

    @Test
    void bearerClientsAreUnaffectedByOrigin() {
        assertThat(loopback.judge(bearer("POST", null, null, false))).isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge(bearer("POST", "http://evil.example", null, false)))
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void onANonLoopbackBindTheOriginMustMatchTheHostAddressed() {
        RequestFacts same = new RequestFacts(
                "POST",
                "my-laptop.lan:8765",
                "secret-token",
                TokenSource.COOKIE,
                "http://my-laptop.lan:8765",
                null,
                null,
                false,
                -1);
        RequestFacts other = new RequestFacts(
                "POST",
                "my-laptop.lan:8765",
                "secret-token",
                TokenSource.COOKIE,
                "http://other.lan:8765",
                null,
                null,
                false,
                -1);
        assertThat(wide.judge(same)).isEqualTo(Verdict.ALLOW);
        assertThat(wide.judge(other)).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
    }

    @Test
    void mutationsCarryJsonOrNoBody() {
        assertThat(loopback.judge(bearer("POST", null, "application/json", true)))
                .isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge(bearer("POST", null, "application/json; charset=utf-8", true)))
                .isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge(bearer("PATCH", null, "Application/JSON;charset=UTF-8", true)))
                .isEqualTo(Verdict.ALLOW);
        assertThat(loopback.judge(bearer("POST", null, null, false))).isEqualTo(Verdict.ALLOW);
        // an empty body with a form type (HttpURLConnection's default) is no body
        assertThat(loopback.judge(bearer("POST", null, "application/x-www-form-urlencoded", false)))
                .isEqualTo(Verdict.ALLOW);
        for (String type : new String[] {
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonp",
            "application/json-patch+json",
            "text/json",
            ""
        }) {
            assertThat(loopback.judge(bearer("POST", null, type, true)))
                    .as(type)
                    .isEqualTo(Verdict.UNSUPPORTED_MEDIA_TYPE);
        }
        assertThat(loopback.judge(bearer("DELETE", null, null, true))).isEqualTo(Verdict.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void readsMayCarryAnyBody() {
        RequestFacts get = new RequestFacts("GET", HOST, null, TokenSource.NONE, null, null, "text/plain", true, 2);
        assertThat(loopback.judge(get)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aFormPostWithTheCookieFromAForeignPageIsRefusedWhateverItsType() {
        RequestFacts form = new RequestFacts(
                "POST", HOST, "secret-token", TokenSource.COOKIE, "http://evil.example", null, "text/plain", true, 1);
        assertThat(loopback.judge(form)).isEqualTo(Verdict.FORBIDDEN_ORIGIN);
    }
}
