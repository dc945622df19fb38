package io.heddle.itest.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/** Reading the io.heddle:heddle-platform list, and what the kit says when it cannot provision from it. */
public class PlatformListTest {

    private final Path dir;

    public PlatformListTest() throws IOException {
        dir = Files.createTempDirectory("platform-list-test");
    }

    @After
    public void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    private Path pom(String dependencies) throws IOException {
        return Files.writeString(
                dir.resolve("heddle-platform.pom"),
                "<project><modelVersion>4.0.0</modelVersion>"
                        + "<groupId>io.heddle</groupId><artifactId>heddle-platform</artifactId><version>1.2.3</version>"
                        + "<properties><scr.version>2.2.14</scr.version></properties><dependencies>" + dependencies
                        + "</dependencies></project>");
    }

    @Test
    public void dependenciesAreReadInOrderWithProjectVersionAndOwnPropertiesInterpolated() throws IOException {
        Path pom = pom(
                "<dependency><groupId>org.apache.felix</groupId><artifactId>org.apache.felix.scr</artifactId>"
                        + "<version>${scr.version}</version></dependency>"
                        + "<dependency><groupId>io.heddle</groupId><artifactId>api</artifactId><version>${project.version}</version></dependency>");

        List<PlatformList.Coordinates> bundles = PlatformList.read(pom);

        assertEquals(
                List.of(
                        new PlatformList.Coordinates("org.apache.felix", "org.apache.felix.scr", "2.2.14"),
                        new PlatformList.Coordinates("io.heddle", "api", "1.2.3")),
                bundles);
        assertEquals(
                Path.of("/repo/io/heddle/api/1.2.3/api-1.2.3.jar"),
                bundles.get(1).in(Path.of("/repo")));
        assertEquals("mvn:io.heddle/api/1.2.3", bundles.get(1).mvnUrl());
    }

    @Test
    public void aMissingListSaysWhichDependencyProvidesIt() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> PlatformList.read(dir.resolve("absent.pom")));

        assertTrue(e.getMessage(), e.getMessage().contains("io.heddle:heddle-platform"));
        assertTrue(e.getMessage(), e.getMessage().contains("-D" + HeddlePlatform.PLATFORM_POM_PROPERTY));
    }

    @Test
    public void anUndefinedPropertyIsNamed() throws IOException {
        Path pom = pom(
                "<dependency><groupId>a</groupId><artifactId>b</artifactId><version>${nowhere}</version></dependency>");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PlatformList.read(pom));

        assertTrue(e.getMessage(), e.getMessage().contains("${nowhere}"));
    }

    @Test
    public void offlineTheKitNamesEveryMissingBundleAndTheFix() throws IOException {
        Path pom = pom(
                "<dependency><groupId>io.heddle</groupId><artifactId>api</artifactId><version>${project.version}</version></dependency>"
                        + "<dependency><groupId>io.heddle</groupId><artifactId>http</artifactId><version>${project.version}</version></dependency>");
        Path repository = Files.createDirectories(dir.resolve("repository"));
        Path api = new PlatformList.Coordinates("io.heddle", "api", "1.2.3").in(repository);
        Files.createDirectories(api.getParent());
        Files.write(api, new byte[0]);
        String oldRepository = System.setProperty(HeddlePlatform.LOCAL_REPOSITORY_PROPERTY, repository.toString());
        String oldOffline = System.setProperty(HeddlePlatform.OFFLINE_PROPERTY, "true");
        try {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> HeddlePlatform.listedBundles(pom));

            assertTrue(e.getMessage(), e.getMessage().contains("io.heddle:http:1.2.3"));
            assertTrue(e.getMessage(), !e.getMessage().contains("io.heddle:api:1.2.3"));
            assertTrue(e.getMessage(), e.getMessage().contains("without -o"));
        } finally {
            restore(HeddlePlatform.LOCAL_REPOSITORY_PROPERTY, oldRepository);
            restore(HeddlePlatform.OFFLINE_PROPERTY, oldOffline);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
