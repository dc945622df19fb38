package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.PlatformList;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The extension author's path, as docs/extensions.md walks it: from an empty folder, the
 * guide's {@code archetype:generate} command makes a project, {@code mvn verify} passes in it
 * (its unit test and its in-container test), and its jar, copied into the extensions folder of
 * a running {@code heddle daemon}, serves its endpoint. Also: every Java and XML block of the
 * guide is a file of that generated project (or of the example extension), byte for byte.
 *
 * <p>Maven runs as a process against a private local repository, {@code sdk-repository} of the
 * archetype module, into which that module's build installed this build's SDK artifacts
 * (invoker:install): a stale io.heddle snapshot elsewhere cannot make it pass. Everything else
 * comes from the user's own local repository through a file:// mirror, so nothing is downloaded.
 */
public class AuthorPathE2E {

    private static final Duration MAVEN_DEADLINE = Duration.ofMinutes(5);
    private static final Duration DEPLOY_DEADLINE = Duration.ofSeconds(30);
    private static final Pattern CAPTION_PATH = Pattern.compile("`([^`\\s]+\\.(?:java|xml))`");

    private static Path work;
    private static Path settings;
    private static Path project;
    private static Path docs;

    @BeforeClass
    public static void generateTheProjectAsTheGuideSays() throws Exception {
        docs = Path.of(System.getProperty("heddle.docs", "../docs"))
                .toAbsolutePath()
                .normalize();
        work = TestSupport.newHome("author-path");
        settings = writeMirrorSettings(work.resolve("settings.xml"));
        Path empty = Files.createDirectories(work.resolve("empty"));

        List<String> generate = new ArrayList<>(List.of("org.apache.maven.plugins:maven-archetype-plugin:"
                + required("heddle.archetypePluginVersion") + ":generate"));
        generate.addAll(guideGenerateProperties());
        long started = System.nanoTime();
        maven(empty, "generate", generate);
        report("archetype:generate", started);

        try (Stream<Path> made = Files.list(empty)) {
            List<Path> folders = made.filter(Files::isDirectory).collect(Collectors.toList());
            assertThat(folders)
                    .as("archetype:generate makes one project folder")
                    .hasSize(1);
            project = folders.get(0);
        }
    }

    @AfterClass
    public static void noteWhereTheProjectIs() {
        System.out.println("AuthorPathE2E: generated project in " + project);
    }

    @Test
    public void generatedProjectVerifiesAndItsJarServesItsEndpointInARunningDaemon() throws Exception {
        long started = System.nanoTime();
        maven(project, "verify", List.of("verify"));
        report("mvn verify in the generated project", started);
        assertReport(project.resolve("target/surefire-reports"), "HelloMessageTest");
        assertReport(project.resolve("target/failsafe-reports"), "HelloServletIT");
        Path jar;
        try (Stream<Path> jars = Files.list(project.resolve("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow();
        }

        started = System.nanoTime();
        try (HeddleSandbox sandbox = new HeddleSandbox("author-path-daemon")) {
            sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
            ServerRecord server = sandbox.liveRecord().orElseThrow();
            Path folder = Files.createDirectories(sandbox.home().resolve("extensions"));
            // the guide's deploy: a copy under a hidden name, then a rename into the folder
            Path staged = folder.resolve(".hello-extension.part");
            Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, folder.resolve("hello-extension.jar"), StandardCopyOption.ATOMIC_MOVE);

            Poll.until(
                    "the generated extension answers",
                    DEPLOY_DEADLINE,
                    () -> get(server, "/api/ext/hello-extension/hello").startsWith("200 "));
            assertThat(get(server, "/api/ext/hello-extension/hello"))
                    .contains("\"message\":\"Hello from hello-extension\"")
                    .contains("\"serverId\":\"" + server.serverId() + "\"");
            assertThat(get(server, "/api/extensions")).contains("\"/api/ext/hello-extension/hello\"");
        }
        report("daemon started, jar deployed, endpoint answering", started);
    }

    @Test
    public void everyJavaAndXmlBlockOfTheGuideIsAFileTheBuildCompilesAndTests() throws IOException {
        Path guide = docs.resolve("extensions.md");
        List<String> lines = Files.readAllLines(guide, StandardCharsets.UTF_8);
        int checked = 0;
        String caption = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```")) {
                if (!line.isBlank()) {
                    caption = line;
                }
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            String language = line.substring(3).trim();
            if (language.equals("java") || language.equals("xml")) {
                Matcher path = CAPTION_PATH.matcher(caption);
                assertThat(path.find())
                        .as(
                                "docs/extensions.md line %d: the line before a %s block names the file it "
                                        + "shows, in backticks (it says: %s)",
                                i + 1, language, caption)
                        .isTrue();
                Path file = path.group(1).startsWith("examples/")
                        ? docs.getParent().resolve(path.group(1))
                        : project.resolve(path.group(1));
                assertThat(file)
                        .as("docs/extensions.md line %d names %s", i + 1, path.group(1))
                        .isRegularFile();
                String block = String.join("\n", lines.subList(i + 1, end)).strip();
                assertThat(block)
                        .as("docs/extensions.md line %d: the %s block is %s, unchanged", i + 1, language, file)
                        .isEqualTo(
                                Files.readString(file, StandardCharsets.UTF_8).strip());
                checked++;
            }
            i = end;
            caption = "";
        }
        assertThat(checked).as("Java and XML blocks checked in " + guide).isGreaterThanOrEqualTo(3);
    }

    @Test
    public void platformListNamesExactlyTheDistributionsBundles() throws IOException {
        Path list = Path.of(required("heddle.platformPom"));
        List<String> listed = PlatformList.read(list).stream()
                .map(c -> c.artifactId() + "-" + c.version() + ".jar")
                .sorted()
                .collect(Collectors.toList());
        List<String> shipped;
        try (Stream<Path> jars = Files.list(HeddleSandbox.distribution().resolve("bundles"))) {
            shipped = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertThat(listed)
                .as("the bundles %s lists, against the distribution's bundles/ folder", list)
                .isEqualTo(shipped);
    }

    @Test
    public void bomManagesWhatThePlatformRunsAtTheVersionsItRuns() throws IOException {
        Path bom = Path.of(required("heddle.bomPom"));
        String text = Files.readString(bom, StandardCharsets.UTF_8);
        int compared = 0;
        for (PlatformList.Coordinates bundle : PlatformList.read(Path.of(required("heddle.platformPom")))) {
            Matcher managed = Pattern.compile("<groupId>" + Pattern.quote(bundle.groupId()) + "</groupId><artifactId>"
                            + Pattern.quote(bundle.artifactId()) + "</artifactId><version>([^<]+)</version>")
                    .matcher(text);
            if (managed.find()) {
                String version = managed.group(1).replace("${project.version}", bundle.version());
                assertThat(version)
                        .as("%s manages %s:%s", bom, bundle.groupId(), bundle.artifactId())
                        .isEqualTo(bundle.version());
                compared++;
            }
        }
        assertThat(compared).as("platform bundles %s manages", bom).isGreaterThanOrEqualTo(5);
    }

    /** The -D arguments of the guide's archetype:generate command. */
    private static List<String> guideGenerateProperties() throws IOException {
        String text = Files.readString(docs.resolve("extensions.md"), StandardCharsets.UTF_8);
        Matcher command = Pattern.compile("mvn archetype:generate((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                .matcher(text);
        assertThat(command.find())
                .as("docs/extensions.md shows 'mvn archetype:generate'")
                .isTrue();
        List<String> properties = new ArrayList<>();
        for (String token : command.group(1).replace("\\\n", " ").trim().split("\\s+")) {
            if (token.startsWith("-D")) {
                properties.add(token);
            }
        }
        assertThat(properties)
                .as("the guide's archetype:generate arguments")
                .contains(
                        "-DarchetypeGroupId=io.heddle",
                        "-DarchetypeArtifactId=heddle-extension-archetype",
                        "-DinteractiveMode=false");
        return properties;
    }

    /** Runs Maven in a folder on the private repository and the mirror; fails with its log's end unless it succeeds. */
    private static void maven(Path dir, String name, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                required("heddle.mvn"),
                "-B",
                "-s",
                settings.toString(),
                "-Dmaven.repo.local=" + required("heddle.sdkRepository")));
        command.addAll(arguments);
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Maven's own JVM does short work: the C1 compiler alone starts it faster (the tests' JVMs are not affected)
        builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process process = builder.start();
        try {
            if (!process.waitFor(MAVEN_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        String.join(" ", command) + " did not end within " + MAVEN_DEADLINE + "; its log: " + log);
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (process.exitValue() != 0) {
            List<String> all = Files.readAllLines(log);
            throw new AssertionError(String.join(" ", command) + " in " + dir + " exited " + process.exitValue()
                    + "; the end of its log (" + log + "):\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size())));
        }
    }

    /** The test report of a class: it ran tests, and none failed. */
    private static void assertReport(Path reports, String simpleName) throws IOException {
        Path report;
        try (Stream<Path> files = Files.list(reports)) {
            report = files.filter(p -> p.getFileName().toString().startsWith("TEST-")
                            && p.getFileName().toString().endsWith("." + simpleName + ".xml"))
                    .findFirst()
                    .orElse(null);
        }
        assertThat(report).as("a report of %s in %s", simpleName, reports).isNotNull();
        String head = Files.readAllLines(report).stream()
                .filter(l -> l.contains("<testsuite"))
                .findFirst()
                .orElse("");
        assertThat(head)
                .as(report.toString())
                .contains("failures=\"0\"")
                .contains("errors=\"0\"")
                .doesNotContain("tests=\"0\"");
    }

    /**
     * Settings whose only repository is the user's own local repository, read as a file://
     * remote (under the id central, which pax-url-aether also trusts); snapshots never updated
     * from it, so the private repository's fresh io.heddle artifacts win.
     */
    private static Path writeMirrorSettings(Path file) throws IOException {
        String url = Path.of(required("heddle.userRepository")).toUri().toString();
        String repository = "<id>central</id><url>" + url + "</url>"
                + "<releases><enabled>true</enabled></releases>"
                + "<snapshots><enabled>true</enabled><updatePolicy>never</updatePolicy></snapshots>";
        Files.writeString(
                file,
                "<settings>\n"
                        + "  <mirrors><mirror><id>central</id><mirrorOf>*</mirrorOf><url>" + url
                        + "</url></mirror></mirrors>\n"
                        + "  <profiles><profile><id>user-repository</id>\n"
                        + "    <repositories><repository>" + repository + "</repository></repositories>\n"
                        + "    <pluginRepositories><pluginRepository>" + repository
                        + "</pluginRepository></pluginRepositories>\n"
                        + "  </profile></profiles>\n"
                        + "  <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>\n"
                        + "</settings>\n");
        return file;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: run this test through "
                    + "itest's failsafe configuration (mvn verify -pl itest -am)");
        }
        return value;
    }

    private static String get(ServerRecord server, String path) {
        return HeddleSandbox.statusAndBody(server, path);
    }

    private static void report(String step, long startedNanos) {
        System.out.printf("AuthorPathE2E: %s took %.1f s%n", step, (System.nanoTime() - startedNanos) / 1e9);
    }
}
