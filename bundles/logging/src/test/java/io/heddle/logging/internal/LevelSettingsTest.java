package io.heddle.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LevelSettingsTest {

    @Test
    void theDefaultsAreInfoWithJettyAndFelixHttpQuieter() {
        LevelSettings defaults = LevelSettings.defaults();

        assertThat(defaults.resolve("io.heddle.lifecycle.internal.RefusalLog")).isEqualTo(Level.INFO);
        assertThat(defaults.resolve("org.eclipse.jetty.server.Server")).isEqualTo(Level.WARN);
        assertThat(defaults.resolve("org.apache.felix.http.jetty")).isEqualTo(Level.WARN);
        assertThat(defaults.resolve("org.eclipse.jetty.http.HttpParser")).isEqualTo(Level.ERROR);
        assertThat(defaults.resolve("org.eclipse.jetty.util.HostPort")).isEqualTo(Level.ERROR);
        assertThat(defaults.resolve("org.apache.felix.scr")).isEqualTo(Level.INFO);
    }

    @Test
    void theLongestMatchingPrefixWinsOnWholeNameSegments() {
        Map<String, Object> config = Map.of(
                "level", "warn",
                "level.io.heddle", "debug",
                "level.io.heddle.heartbeat", "trace");

        LevelSettings settings = LevelSettings.parse(config).settings;

        assertThat(settings.resolve("io.heddle.heartbeat.internal.Scheduler")).isEqualTo(Level.TRACE);
        assertThat(settings.resolve("io.heddle.heartbeat")).isEqualTo(Level.TRACE);
        assertThat(settings.resolve("io.heddle.heartbeats.Other")).isEqualTo(Level.DEBUG);
        assertThat(settings.resolve("io.heddlex.Other")).isEqualTo(Level.WARN);
        assertThat(settings.resolve("org.eclipse.jetty.server.Server")).isEqualTo(Level.WARN);
    }

    @Test
    void valuesAreCaseInsensitiveAndAConfiguredPrefixOverridesADefault() {
        LevelSettings settings =
                LevelSettings.parse(Map.of("level.org.eclipse.jetty", " DEBUG ", "level", "Off")).settings;

        assertThat(settings.resolve("org.eclipse.jetty.server.Server")).isEqualTo(Level.DEBUG);
        assertThat(settings.resolve("org.eclipse.jetty.http.HttpParser")).isEqualTo(Level.ERROR);
        assertThat(settings.resolve("io.heddle.X")).isEqualTo(Level.OFF);
    }

    @Test
    void aBadValueIsReportedWithKeyValueAndAllowedValuesAndTheRestApplies() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("level.io.heddle", "loud");
        config.put("level.org.postgresql", "debug");
        config.put("level.", "info");
        config.put("service.pid", "io.heddle.logging");
        config.put("felix.fileinstall.filename", "file:/x/io.heddle.logging.cfg");

        LevelSettings.Parsed parsed = LevelSettings.parse(config);

        assertThat(parsed.settings.resolve("org.postgresql.Driver")).isEqualTo(Level.DEBUG);
        assertThat(parsed.settings.resolve("io.heddle.X")).isEqualTo(Level.INFO);
        assertThat(parsed.problems).hasSize(2);
        assertThat(parsed.problems.get(0))
                .contains("level.io.heddle", "'loud'", "trace, debug, info, warn, error, off");
        assertThat(parsed.problems.get(1)).contains("'level.'");
    }

    @Test
    void noConfigurationMeansTheDefaults() {
        LevelSettings settings = LevelSettings.parse(null).settings;

        assertThat(settings.root()).isEqualTo(Level.INFO);
        assertThat(settings.prefixes()).isEqualTo(LevelSettings.defaults().prefixes());
    }
}
