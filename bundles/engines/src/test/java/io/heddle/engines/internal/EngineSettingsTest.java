package io.heddle.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    private static EngineSettings openAi(Map<String, Object> props) {
        return EngineSettings.parse(props, "io.heddle.chat.engine.openai", null, OpenAiProtocol.SAMPLING, Map.of());
    }

    @Test
    void theNameComesFromTheFileInstallFileNameOrTheNamedPid() {
        assertThat(EngineSettings.nameOf(
                        Map.of(
                                "felix.fileinstall.filename",
                                "file:/home/me/.heddle/etc/io.heddle.chat.engine.openai-local.cfg"),
                        "io.heddle.chat.engine.openai"))
                .isEqualTo("local");
        assertThat(EngineSettings.nameOf(
                        Map.of("service.pid", "io.heddle.chat.engine.openai~claude"), "io.heddle.chat.engine.openai"))
                .isEqualTo("claude");
        assertThat(EngineSettings.nameOf(Map.of("name", "explicit", "service.pid", "x~y"), "x"))
                .isEqualTo("explicit");
    }

    @Test
    void valuesFromACfgFileAreStringsAndAreRead() {
        EngineSettings s = openAi(Map.of(
                "baseUrl",
                "http://127.0.0.1:11434/v1/",
                "model",
                "llama3.2",
                "temperature",
                "0.2",
                "maxTokens",
                "512",
                "ranking",
                "10",
                "timeoutMs",
                "1000"));
        assertThat(s.problems()).isEmpty();
        assertThat(s.baseUrl.toString()).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(s.sampling).containsEntry("temperature", 0.2).containsEntry("maxTokens", 512L);
        assertThat(s.ranking).isEqualTo(10);
        assertThat(s.timeout.toMillis()).isEqualTo(1000);
        assertThat(s.firstProblem()).isEmpty();
    }

    @Test
    void badValuesBecomeProblemsThatNameTheSetting() {
        EngineSettings s = openAi(Map.of(
                "baseUrl", "ftp://x", "temperature", "hot", "timeoutMs", "-1", "apiKey", "sk-should-not-be-here"));
        assertThat(s.problems())
                .anySatisfy(p -> assertThat(p).contains("baseUrl").contains("not an http or https URL"))
                .noneSatisfy(p -> assertThat(p).contains("ftp://x")) // a mistyped URL may hold a key: never echoed
                .anySatisfy(p -> assertThat(p).contains("model is not set"))
                .anySatisfy(p -> assertThat(p).contains("temperature").contains("from 0 to 2"))
                .anySatisfy(p -> assertThat(p).contains("timeoutMs"))
                .anySatisfy(p -> assertThat(p).contains("a key must not be written into"));
        assertThat(String.join(" ", s.problems())).doesNotContain("sk-should-not-be-here");
    }

    @Test
    void anUnsetKeyVariableIsAProblemThatNamesTheVariableOnly() {
        ApiKeySource source = ApiKeySource.env("HEDDLE_TEST_KEY", "the cfg", name -> null);
        assertThat(source.problem()).hasValueSatisfying(p -> assertThat(p).contains("HEDDLE_TEST_KEY"));
        ApiKeySource set = ApiKeySource.env("HEDDLE_TEST_KEY", "the cfg", name -> "sk-secret-value-1");
        assertThat(set.problem()).isEmpty();
        assertThat(set.describe()).doesNotContain("sk-secret");
        assertThat(ApiKeySource.env("V", "c", name -> "two words").problem()).isNotEqualTo(Optional.empty());
    }
}
