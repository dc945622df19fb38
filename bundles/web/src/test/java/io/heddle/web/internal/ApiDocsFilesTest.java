package io.heddle.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiDocsFilesTest {

    @Test
    void errorMessagesAreEscapedIntoJsonStrings() {
        assertThat(ApiDocsServlet.escape("a \"b\" \\ c\n")).isEqualTo("a \\\"b\\\" \\\\ c\\u000a");
    }

    @Test
    void thePagePolicyNamesNoOtherHost() {
        assertThat(ApiDocsServlet.PAGE_POLICY)
                .contains("default-src 'self'", "script-src 'self'")
                .doesNotContain("http", "*", "unsafe-eval");
    }
}
