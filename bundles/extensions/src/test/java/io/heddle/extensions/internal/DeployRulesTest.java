package io.heddle.extensions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.extensions.ExtensionProblem;
import io.heddle.extensions.internal.DeployRules.InstalledBundle;
import io.heddle.extensions.internal.DeployRules.Reconciliation.Action;
import io.heddle.extensions.internal.DeployRules.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleException;

class DeployRulesTest {

    @TempDir
    Path home;

    private Path folder() throws IOException {
        return Files.createDirectories(home.resolve("extensions"));
    }

    private static ExtensionEntry entry(String file, Long bundleId, String problemCode) {
        return new ExtensionEntry(
                file,
                Optional.of("com.example." + file),
                Optional.of("1.0.0"),
                Optional.ofNullable(bundleId),
                Optional.ofNullable(problemCode).map(code -> new ExtensionProblem(code, file + ": " + code)));
    }

    @Test
    void aJarWithNoBundleAtItsLocationIsInstalled() {
        assertThat(DeployRules.step(false, Optional.empty(), "abc")).isEqualTo(Step.INSTALL);
        // A digest left in the index by a bundle someone else uninstalled does not matter.
        assertThat(DeployRules.step(false, Optional.of("abc"), "abc")).isEqualTo(Step.INSTALL);
    }

    @Test
    void aJarWhoseBytesTheRunningBundleAlreadyHasKeepsItRunning() {
        assertThat(DeployRules.step(true, Optional.of("abc"), "abc")).isEqualTo(Step.KEEP);
    }

    @Test
    void aJarWithOtherBytesOrNoRecordedDigestUpdatesItsBundle() {
        assertThat(DeployRules.step(true, Optional.of("abc"), "def")).isEqualTo(Step.UPDATE);
        assertThat(DeployRules.step(true, Optional.empty(), "def")).isEqualTo(Step.UPDATE);
    }

    @Test
    void atStartAnExtensionWhoseJarIsStillInTheFolderIsListed() throws IOException {
        Path jar = Files.write(folder().resolve("hello.jar"), new byte[] {1});

        DeployRules.Reconciliation decision = DeployRules.reconcile(folder(), DeployRules.location(jar), true);

        assertThat(decision).isEqualTo(new DeployRules.Reconciliation(Action.LIST, "hello.jar"));
    }

    @Test
    void atStartAnExtensionWhoseJarWasRemovedIsUninstalled() throws IOException {
        Path gone = folder().resolve("gone.jar");

        DeployRules.Reconciliation decision = DeployRules.reconcile(folder(), DeployRules.location(gone), true);

        assertThat(decision).isEqualTo(new DeployRules.Reconciliation(Action.UNINSTALL, "gone.jar"));
    }

    @Test
    void atStartAnExtensionFromAnotherFolderIsUninstalled() throws IOException {
        // The folder setting changed while Heddle was stopped: the old folder's jar still exists.
        Path old = Files.createDirectories(home.resolve("old-extensions"));
        Path jar = Files.write(old.resolve("hello.jar"), new byte[] {1});
        Path nested = Files.createDirectories(folder().resolve("sub"));
        Path nestedJar = Files.write(nested.resolve("nested.jar"), new byte[] {1});

        assertThat(DeployRules.reconcile(folder(), DeployRules.location(jar), true))
                .isEqualTo(new DeployRules.Reconciliation(Action.UNINSTALL, "hello.jar"));
        assertThat(DeployRules.reconcile(folder(), DeployRules.location(nestedJar), true))
                .isEqualTo(new DeployRules.Reconciliation(Action.UNINSTALL, "nested.jar"));
    }

    @Test
    void atStartAFolderWhereTheJarWasIsNotTakenForTheJar() throws IOException {
        Path notAFile = Files.createDirectories(folder().resolve("looks-like.jar"));

        assertThat(DeployRules.reconcile(folder(), DeployRules.location(notAFile), true)
                        .action())
                .isEqualTo(Action.UNINSTALL);
    }

    @Test
    void atStartAnIndexedBundleTheFrameworkNoLongerHasIsForgotten() throws IOException {
        Path jar = Files.write(folder().resolve("hello.jar"), new byte[] {1});

        assertThat(DeployRules.reconcile(folder(), DeployRules.location(jar), false)
                        .action())
                .isEqualTo(Action.FORGET);
    }

    @Test
    void atStartALocationThatIsNoFileIsUninstalledUnderItsLocation() throws IOException {
        DeployRules.Reconciliation decision = DeployRules.reconcile(folder(), "mvn:com.example/hello/1.0", true);

        assertThat(decision).isEqualTo(new DeployRules.Reconciliation(Action.UNINSTALL, "mvn:com.example/hello/1.0"));
    }

    @Test
    void aJarLocationNamesTheSameFileBackEvenWithSpacesAndDots() throws IOException {
        Path jar = Files.write(folder().resolve("my extension.jar"), new byte[] {1});
        String location =
                DeployRules.location(folder().resolve("sub").resolve("..").resolve("my extension.jar"));

        assertThat(location).startsWith("file:").doesNotContain(" ").doesNotContain("/../");
        assertThat(DeployRules.fileOf(location)).contains(jar);
        assertThat(DeployRules.fileOf("http://localhost/x.jar")).isEmpty();
        assertThat(DeployRules.fileOf("not a uri")).isEmpty();
    }

    @Test
    void aSymbolicNameThePlatformUsesIsRefusedNamingThePlatformBundle() {
        List<InstalledBundle> installed = List.of(
                new InstalledBundle("reference:file:/opt/heddle/bundles/http.jar", "io.heddle.http", "0.1.0", false));

        Optional<ExtensionProblem> problem =
                DeployRules.duplicate("evil.jar", "io.heddle.http", "file:/ext/evil.jar", installed);

        assertThat(problem).get().extracting(ExtensionProblem::code).isEqualTo("duplicate");
        assertThat(problem.get().message())
                .isEqualTo(
                        "evil.jar has the symbolic name io.heddle.http, which the "
                                + "platform bundle io.heddle.http 0.1.0 already uses. Give each extension its own Bundle-SymbolicName.");
    }

    @Test
    void aSymbolicNameAnotherExtensionUsesIsRefusedNamingItsJar() throws IOException {
        Path first = folder().resolve("first.jar");
        List<InstalledBundle> installed =
                List.of(new InstalledBundle(DeployRules.location(first), "com.example.hello", "1.0.0", true));

        Optional<ExtensionProblem> problem = DeployRules.duplicate(
                "second.jar", "com.example.hello", DeployRules.location(folder().resolve("second.jar")), installed);

        assertThat(problem)
                .get()
                .extracting(ExtensionProblem::message)
                .asString()
                .contains("which the extension first.jar already uses");
    }

    @Test
    void theBundleAnUpdateReplacesDoesNotCountAsADuplicate() throws IOException {
        String location = DeployRules.location(folder().resolve("hello.jar"));
        List<InstalledBundle> installed = List.of(
                new InstalledBundle(location, "com.example.hello", "1.0.0", true),
                new InstalledBundle("file:/elsewhere/other.jar", "com.example.other", "1.0.0", true));

        assertThat(DeployRules.duplicate("hello.jar", "com.example.hello", location, installed))
                .isEmpty();
    }

    @Test
    void afterARemovalOnlyJarsRefusedAsDuplicatesAreDeployedAgain() {
        List<ExtensionEntry> entries = List.of(
                entry("a.jar", null, "duplicate"),
                entry("b.jar", 7L, null),
                entry("c.jar", 8L, "unresolved"),
                entry("d.jar", null, "invalid_jar"),
                entry("e.jar", null, "duplicate"));

        assertThat(DeployRules.retryAfterRemoval(entries)).containsExactlyInAnyOrder("a.jar", "e.jar");
    }

    @Test
    void afterAChangeOtherInstalledButUnresolvedExtensionsAreStartedAgain() {
        ExtensionEntry waiting = entry("needs-lib.jar", 9L, "unresolved");
        List<ExtensionEntry> entries = List.of(
                waiting,
                entry("lib.jar", 10L, "unresolved"),
                entry("never-installed.jar", null, "unresolved"),
                entry("crashed.jar", 11L, "start_failed"),
                entry("fine.jar", 12L, null));

        assertThat(DeployRules.retryAfterChange(entries, "lib.jar")).containsExactly(waiting);
    }

    @Test
    void aResolveErrorIsUnresolvedAndNamesTheMissingImportsWhenKnown() {
        BundleException resolve = new BundleException("Unable to resolve", BundleException.RESOLVE_ERROR);

        ExtensionProblem withImports = DeployRules.startProblem(
                "hello.jar", resolve, () -> Optional.of("it imports com.example.lib, which no bundle exports"));
        ExtensionProblem withoutImports = DeployRules.startProblem("hello.jar", resolve, Optional::empty);

        assertThat(withImports)
                .isEqualTo(new ExtensionProblem(
                        "unresolved",
                        "hello.jar cannot be resolved: it imports com.example.lib, which no bundle exports"));
        assertThat(withoutImports)
                .isEqualTo(new ExtensionProblem("unresolved", "hello.jar cannot be resolved: Unable to resolve"));
    }

    @Test
    void anyOtherStartErrorIsStartFailedWithItsRootCauseAndMissingImportsAreNotAsked() {
        BundleException activator = new BundleException(
                "Activator start error",
                BundleException.ACTIVATOR_ERROR,
                new RuntimeException("wrapper", new IllegalStateException("port\n  taken")));

        ExtensionProblem problem = DeployRules.startProblem("hello.jar", activator, () -> {
            throw new AssertionError("only a resolve error asks for the missing imports");
        });

        assertThat(problem)
                .isEqualTo(new ExtensionProblem(
                        "start_failed",
                        "hello.jar failed to start: Activator "
                                + "start error (caused by java.lang.IllegalStateException: port taken)"));
        assertThat(DeployRules.startProblem(
                                "x.jar", new IllegalStateException("Bundle is uninstalled"), Optional::empty)
                        .code())
                .isEqualTo("start_failed");
    }
}
