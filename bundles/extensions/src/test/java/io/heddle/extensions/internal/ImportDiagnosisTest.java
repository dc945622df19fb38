package io.heddle.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImportDiagnosisTest {

    @Test
    void aBoundedRangeIsShownAsARange() {
        assertThat(ImportDiagnosis.describe(
                        "(&(osgi.wiring.package=com.example.lib)(version>=1.2.0)(!(version>=2.0.0)))"))
                .isEqualTo("package com.example.lib (version [1.2.0,2.0.0))");
    }

    @Test
    void aLowerBoundAloneIsThatVersionOrLater() {
        assertThat(ImportDiagnosis.describe("(&(osgi.wiring.package=com.example.lib)(version>=1.0.0))"))
                .isEqualTo("package com.example.lib (version 1.0.0 or later)");
    }

    @Test
    void anImportWithoutVersionAcceptsAnyVersion() {
        assertThat(ImportDiagnosis.describe("(osgi.wiring.package=com.example.missing)"))
                .isEqualTo("package com.example.missing (any version)");
    }

    @Test
    void inclusiveUpperAndExclusiveLowerBoundsKeepTheirBrackets() {
        assertThat(ImportDiagnosis.describe("(&(osgi.wiring.package=a.b)(!(version<=1.0.0))(version<=3.0.0))"))
                .isEqualTo("package a.b (version (1.0.0,3.0.0])");
    }
}
