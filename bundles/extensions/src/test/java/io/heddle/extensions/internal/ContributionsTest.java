package io.heddle.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContributionsTest {

    @Test
    void exactPatternBeatsPrefixBeatsExtensionBeatsDefault() {
        int exact = Contributions.matchStrength("/api/ext/hello", "/api/ext/hello");
        int longPrefix = Contributions.matchStrength("/api/ext/*", "/api/ext/hello");
        int shortPrefix = Contributions.matchStrength("/api/*", "/api/ext/hello");
        int extension = Contributions.matchStrength("*.json", "/api/ext/hello.json");
        int fallback = Contributions.matchStrength("/", "/api/ext/hello");

        assertThat(exact).isGreaterThan(longPrefix);
        assertThat(longPrefix).isGreaterThan(shortPrefix);
        assertThat(shortPrefix).isGreaterThan(extension);
        assertThat(extension).isGreaterThan(fallback);
        assertThat(fallback).isZero();
    }

    @Test
    void prefixMatchesOnlyWholeSegments() {
        assertThat(Contributions.matchStrength("/api/ext/*", "/api/ext")).isPositive();
        assertThat(Contributions.matchStrength("/api/ext/*", "/api/ext/a/b")).isPositive();
        assertThat(Contributions.matchStrength("/api/ext/*", "/api/extra")).isNegative();
    }

    @Test
    void otherPathsDoNotMatch() {
        assertThat(Contributions.matchStrength("/api/ext/hello", "/api/ext/hello/more"))
                .isNegative();
        assertThat(Contributions.matchStrength("*.json", "/api/health")).isNegative();
    }
}
