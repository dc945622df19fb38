package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceKeysTest {

    @TempDir
    Path dir;

    @Test
    void theFormsOfOneRemoteAreOneKey() {
        assertThat(WorkspaceKeys.normalise("git@github.com:me/app.git")).isEqualTo("github.com/me/app");
        assertThat(WorkspaceKeys.normalise("https://github.com/me/app")).isEqualTo("github.com/me/app");
        assertThat(WorkspaceKeys.normalise("https://user@GitHub.com/me/app.git/"))
                .isEqualTo("github.com/me/app");
        assertThat(WorkspaceKeys.normalise("ssh://git@github.com:22/me/app.git"))
                .isEqualTo("github.com/me/app");
        assertThat(WorkspaceKeys.normalise("/srv/git/app.git")).isNull();
    }

    @Test
    void theKeyIsTheOriginRemoteElseTheFolderName() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("checkout-one"));
        assertThat(WorkspaceKeys.of(repo)).isEqualTo("checkout-one");
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(
                repo.resolve(".git/config"),
                "[core]\n\tbare = false\n[remote \"upstream\"]\n"
                        + "\turl = https://example.org/other/thing\n[remote \"origin\"]\n\turl = git@example.org:team/app.git\n"
                        + "\tfetch = +refs/heads/*:refs/remotes/origin/*\n");
        Files.setLastModifiedTime(repo.resolve(".git/config"), java.nio.file.attribute.FileTime.fromMillis(1000));
        assertThat(WorkspaceKeys.of(repo)).isEqualTo("example.org/team/app");
    }

    @Test
    void aKeySetForTheWorkspaceInTheCatalogWinsOverTheDerivedOne(@org.junit.jupiter.api.io.TempDir Path folder) {
        java.time.Instant t = java.time.Instant.EPOCH;
        io.heddle.api.workspace.WorkspaceDescriptor derived = new io.heddle.api.workspace.WorkspaceDescriptor(
                "ws-1",
                "app",
                folder.toString(),
                java.util.List.of(),
                folder.resolve(".heddle").toString(),
                t,
                t);
        io.heddle.api.workspace.WorkspaceDescriptor set = new io.heddle.api.workspace.WorkspaceDescriptor(
                "ws-1",
                "app",
                folder.toString(),
                java.util.List.of(),
                folder.resolve(".heddle").toString(),
                t,
                t,
                "github.com/me/app");

        assertThat(TaskWorkspaces.of(derived).key())
                .isEqualTo(folder.getFileName().toString());
        assertThat(TaskWorkspaces.of(set).key()).isEqualTo("github.com/me/app");
    }
}
