package io.heddle.workspaces.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWorkspaceCatalogTest {

    @TempDir
    Path dir;

    private Path root;
    private Path state;
    private final List<String> warnings = new ArrayList<>();
    private FileWorkspaceCatalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("repo"));
        state = root.resolve(".heddle");
        catalog = new FileWorkspaceCatalog(
                Clock.fixed(Instant.parse("2026-06-02T00:00:00Z"), ZoneOffset.UTC), warnings::add);
    }

    @Test
    void ensureCreatesTheCatalogWithTheWorkspaceActive() {
        CatalogSnapshot snapshot = catalog.ensure(root, state);

        assertThat(snapshot.workspaces()).hasSize(1);
        WorkspaceDescriptor ws = snapshot.workspaces().get(0);
        assertThat(ws.name()).isEqualTo("repo");
        assertThat(ws.workspaceRoot()).isEqualTo(root.toString());
        assertThat(ws.stateRoot()).isEqualTo(state.toString());
        assertThat(snapshot.activeWorkspaceId()).isEqualTo(ws.id());
        assertThat(state.resolve("workspaces.catalog.json")).exists();
    }

    @Test
    void workspaceIdsAreStableAcrossRestartsAndLostCatalogs() throws Exception {
        String first = catalog.ensure(root, state).workspaces().get(0).id();
        Files.delete(state.resolve("workspaces.catalog.json"));

        String second = new FileWorkspaceCatalog(Clock.systemUTC(), warnings::add)
                .ensure(root, state)
                .workspaces()
                .get(0)
                .id();

        assertThat(second).isEqualTo(first).startsWith("ws-");
    }

    @Test
    void ensureTwiceWritesNothingNew() throws Exception {
        catalog.ensure(root, state);
        byte[] before = Files.readAllBytes(state.resolve("workspaces.catalog.json"));

        catalog.ensure(root, state);

        assertThat(Files.readAllBytes(state.resolve("workspaces.catalog.json"))).isEqualTo(before);
    }

    @Test
    void createRenameAndSetActive() throws Exception {
        String first = catalog.ensure(root, state).activeWorkspaceId();
        Path other = Files.createDirectories(dir.resolve("other"));

        WorkspaceDescriptor created = catalog.create(state, other, "Other", ".heddle");
        WorkspaceDescriptor renamed = catalog.rename(state, created.id(), "Renamed");
        CatalogSnapshot active = catalog.setActive(state, created.id());

        assertThat(created.stateRoot()).isEqualTo(other.resolve(".heddle").toString());
        assertThat(renamed.name()).isEqualTo("Renamed");
        assertThat(active.activeWorkspaceId()).isEqualTo(created.id()).isNotEqualTo(first);
        assertThat(catalog.read(state).workspaces())
                .extracting(WorkspaceDescriptor::name)
                .containsExactly("repo", "Renamed");
        assertThat(catalog.create(state, other, "Again", ".heddle").id())
                .as("create is idempotent")
                .isEqualTo(created.id());
    }

    @Test
    void unknownIdsAreRefused() {
        catalog.ensure(root, state);

        assertThatThrownBy(() -> catalog.rename(state, "ws-nope", "x")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> catalog.setActive(state, "ws-nope")).isInstanceOf(NoSuchElementException.class);
        assertThat(catalog.resolve(state, "ws-nope")).isEmpty();
    }

    @Test
    void unparsableCatalogIsSetAsideAndRebuilt() throws Exception {
        Files.createDirectories(state);
        Files.writeString(state.resolve("workspaces.catalog.json"), "{ not json");

        CatalogSnapshot snapshot = catalog.ensure(root, state);

        assertThat(snapshot.workspaces()).hasSize(1);
        try (Stream<Path> files = Files.list(state)) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("workspaces.catalog.json.corrupt-"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Files.readString(aside)).isEqualTo("{ not json");
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("moved it to");
    }

    @Test
    void oneBadEntryIsDroppedAndTheRestKept() throws Exception {
        Files.createDirectories(state);
        Files.writeString(
                state.resolve("workspaces.catalog.json"),
                "{\"version\":1,\"activeWorkspaceId\":\"ws-a\","
                        + "\"workspaces\":[{\"id\":\"ws-a\",\"name\":\"a\",\"workspaceRoot\":\"/a\",\"stateRoot\":\"/a/.heddle\"},"
                        + "{\"name\":\"no id\"},42]}");

        CatalogSnapshot snapshot = catalog.read(state);

        assertThat(snapshot.workspaces()).extracting(WorkspaceDescriptor::id).containsExactly("ws-a");
        assertThat(warnings).hasSize(2);
    }

    private static final String REFERENCE_CATALOG = "{\n"
            + "  \"version\": 1,\n"
            + "  \"activeWorkspaceId\": \"workspace-7c1d\",\n"
            + "  \"uiTheme\": \"dark\",\n"
            + "  \"workspaces\": [{\"id\": \"workspace-7c1d\", \"name\": \"mine\", \"workspaceRoot\": \"ROOT/./\",\n"
            + "    \"repoRoots\": [\"ROOT\"], \"stateRoot\": \"ROOT/.heddle\", \"createdAt\": \"2026-05-01T00:00:00.000Z\",\n"
            + "    \"updatedAt\": \"2026-05-01T00:00:00.000Z\", \"pinned\": true}]\n"
            + "}\n";

    @Test
    void aCatalogThatHoldsTheFolderUnderTheReferencesIdIsReusedNotDoubled() throws Exception {
        Files.createDirectories(state);
        Path file = state.resolve("workspaces.catalog.json");
        Files.writeString(file, REFERENCE_CATALOG.replace("ROOT", root.toString()));
        byte[] seeded = Files.readAllBytes(file);

        CatalogSnapshot snapshot = catalog.ensure(root, state);
        WorkspaceDescriptor created = catalog.create(state, root.resolve("."), "again", ".heddle");

        assertThat(snapshot.workspaces()).extracting(WorkspaceDescriptor::id).containsExactly("workspace-7c1d");
        assertThat(snapshot.activeWorkspaceId()).isEqualTo("workspace-7c1d");
        assertThat(created.id()).isEqualTo("workspace-7c1d");
        assertThat(Files.readAllBytes(file)).isEqualTo(seeded); // nothing to change: not rewritten
    }

    @Test
    void unknownCatalogMembersAreKeptWhenTheCatalogIsRewritten() throws Exception {
        Files.createDirectories(state);
        Path file = state.resolve("workspaces.catalog.json");
        Files.writeString(file, REFERENCE_CATALOG.replace("ROOT", root.toString()));

        catalog.rename(state, "workspace-7c1d", "renamed");

        String after = Files.readString(file);
        assertThat(after).contains("\"uiTheme\" : \"dark\"", "\"pinned\" : true", "\"name\" : \"renamed\"");
        assertThat(catalog.read(state).workspaces())
                .extracting(WorkspaceDescriptor::id)
                .containsExactly("workspace-7c1d");
    }

    @Test
    void aWorkspaceKeyIsKeptInItsEntryBesideTheReferencesMembersSurvivesARenameAndCanBeCleared() throws Exception {
        Files.createDirectories(state);
        Path file = state.resolve("workspaces.catalog.json");
        Files.writeString(file, REFERENCE_CATALOG.replace("ROOT", root.toString()));
        assertThat(catalog.read(state).workspaces().get(0).workspaceKey()).isNull(); // the reference's entry: derived

        WorkspaceDescriptor keyed = catalog.setWorkspaceKey(state, "workspace-7c1d", "github.com/me/app");
        catalog.rename(state, "workspace-7c1d", "renamed");

        assertThat(keyed.workspaceKey()).isEqualTo("github.com/me/app");
        String after = Files.readString(file);
        assertThat(after)
                .contains(
                        "\"workspaceKey\" : \"github.com/me/app\"",
                        "\"uiTheme\" : \"dark\"",
                        "\"pinned\" : true",
                        "\"name\" : \"renamed\"");
        WorkspaceDescriptor read = new FileWorkspaceCatalog(Clock.systemUTC(), warnings::add)
                .read(state)
                .workspaces()
                .get(0);
        assertThat(read.workspaceKey()).isEqualTo("github.com/me/app");
        assertThat(read.name()).isEqualTo("renamed");

        catalog.setWorkspaceKey(state, "workspace-7c1d", null);

        assertThat(Files.readString(file)).doesNotContain("workspaceKey").contains("\"uiTheme\" : \"dark\"");
        assertThat(catalog.read(state).workspaces().get(0).workspaceKey()).isNull();
        assertThatThrownBy(() -> catalog.setWorkspaceKey(state, "nope", "k"))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aFailedWriteNamesTheCatalogAndTheOsCauseNotATempFile() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the state folder should be");

        assertThatThrownBy(() -> catalog.ensure(root, blocked.resolve(".heddle")))
                .hasMessageContaining(blocked.resolve(".heddle").toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(".tmp-"))
                .hasMessageMatching("(?s).*(File exists|Not a directory).*");
    }
}
