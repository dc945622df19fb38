package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetServletTest {

    @TempDir
    Path base;

    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(base.resolve("assets")).toRealPath();
        Files.writeString(root.resolve("index.html"), "index");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "docs");
        Files.writeString(base.resolve("secret.txt"), "secret");
    }

    @Test
    void filesInsideTheFolderResolve() {
        assertThat(AssetServlet.resolveInside(root, "/index.html")).contains(root.resolve("index.html"));
        assertThat(AssetServlet.resolveInside(root, "/")).contains(root.resolve("index.html"));
        assertThat(AssetServlet.resolveInside(root, "/docs")).contains(root.resolve("docs/index.html"));
    }

    @Test
    void parentSegmentsNeverResolve() {
        assertThat(AssetServlet.resolveInside(root, "/../secret.txt")).isEmpty();
        assertThat(AssetServlet.resolveInside(root, "/docs/../../secret.txt")).isEmpty();
        assertThat(AssetServlet.resolveInside(root, "/..")).isEmpty();
    }

    @Test
    void backslashesAndNulsNeverResolve() {
        assertThat(AssetServlet.resolveInside(root, "/..\\secret.txt")).isEmpty();
        assertThat(AssetServlet.resolveInside(root, "/index.html\0.png")).isEmpty();
    }

    @Test
    void symbolicLinksLeadingOutNeverResolve() throws Exception {
        Files.createSymbolicLink(root.resolve("escape.txt"), base.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside"), base);

        assertThat(AssetServlet.resolveInside(root, "/escape.txt")).isEmpty();
        assertThat(AssetServlet.resolveInside(root, "/outside/secret.txt")).isEmpty();
    }

    @Test
    void percentSequencesAreTakenLiterallyNotDecodedTwice() {
        // the container decodes once; "%2e%2e" reaching us is a literal file name, not ".."
        assertThat(AssetServlet.resolveInside(root, "/%2e%2e/secret.txt"))
                .hasValueSatisfying(p -> assertThat(p.startsWith(root)).isTrue());
    }
}
