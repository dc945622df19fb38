package io.heddle.itest.extensions;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.extensions.ExtensionEvents;
import io.heddle.api.extensions.ExtensionStatus;
import io.heddle.itest.RawHttp;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.HeddleTestSupport;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Hot deploy into a running server: jars copied in, overwritten in place, half written,
 * broken in every way the issue names, deployed and removed fifty times under load, and
 * changed while the watcher was stopped.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExtensionsIT extends HeddleTestSupport {

    private static final String HELLO_BSN = "io.heddle.examples.extension-hello";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<FrameworkEvent> frameworkProblems = new CopyOnWriteArrayList<>();
    private ServiceRegistration<EventHandler> eventHandler;
    private FrameworkListener frameworkListener;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("extensions"));
    }

    private static Path helloJar() {
        return Path.of(System.getProperty("heddle.exampleExtension", "target/test-extensions/extension-hello.jar"));
    }

    @Before
    public void listen() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, ExtensionEvents.TOPIC_PREFIX + "*");
        eventHandler = context().registerService(EventHandler.class, events::add, properties);
        frameworkListener = event -> {
            if (event.getType() == FrameworkEvent.ERROR || event.getType() == FrameworkEvent.WARNING) {
                frameworkProblems.add(event);
            }
        };
        context().addFrameworkListener(frameworkListener);
    }

    @After
    public void emptyTheFolder() throws Exception {
        eventHandler.unregister();
        context().removeFrameworkListener(frameworkListener);
        ensureExtensionsBundleActive();
        try (Stream<Path> jars = Files.list(extensionsFolder())) {
            for (Path jar : jars.collect(Collectors.toList())) {
                Files.deleteIfExists(jar);
            }
        }
        Poll.until("the folder's extensions are gone", DEADLINE, () -> catalog().isEmpty());
    }

    // ----------------------------------------------------------------- copy in, remove

    @Test
    public void copiedJarServesAndDeletedJarGets404() throws Exception {
        Path jar = extensionsFolder().resolve("hello.jar");
        Files.copy(helloJar(), jar);

        Poll.until("/api/ext/hello serves", DEADLINE, () -> status("/api/ext/hello") == 200);
        RawHttp.Response hello = get("/api/ext/hello");
        assertThat(hello.field("serverId")).isEqualTo(server().serverId());
        assertThat(hello.field("extension")).isEqualTo(HELLO_BSN);
        ExtensionStatus status = extension("hello.jar").orElseThrow();
        assertThat(status.state()).isEqualTo("ACTIVE");
        assertThat(status.servlets()).containsExactly("/api/ext/hello");
        assertThat(status.runners()).containsExactly("hello");
        assertThat(status.error()).isEmpty();
        assertThat(get("/api/openapi.json").body)
                .as("the running extension's OpenAPI fragment is merged")
                .contains("\"/api/ext/hello\":", "\"HelloGreeting\":");

        Files.delete(jar);

        Poll.until("/api/ext/hello is gone", DEADLINE, () -> status("/api/ext/hello") == 404);
        assertThat(get("/api/openapi.json").body)
                .as("a removed extension's paths leave the document")
                .doesNotContain("/api/ext/hello")
                .contains("\"/api/health\":");
        Poll.until(
                "the catalog forgot hello.jar",
                DEADLINE,
                () -> extensionQuietly("hello.jar").isEmpty());
        assertThat(bundlesNamed(HELLO_BSN)).as("forgotten once uninstalled").isEmpty();
        Poll.until(
                "install and removal were posted",
                DEADLINE,
                () -> topics().containsAll(List.of(ExtensionEvents.INSTALLED, ExtensionEvents.UNINSTALLED)));
        Event installed = eventsOn(ExtensionEvents.INSTALLED).get(0);
        assertThat(installed.getProperty(ExtensionEvents.FILE)).isEqualTo("hello.jar");
        assertThat(installed.getProperty(ExtensionEvents.SYMBOLIC_NAME)).isEqualTo(HELLO_BSN);
    }

    @Test
    public void extensionsEndpointDescribesEachJar() throws Exception {
        deploy(helloJar(), "hello.jar");

        RawHttp.Response response = get("/api/extensions");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.field("folder")).isEqualTo(extensionsFolder().toString());
        assertThat(response.body)
                .contains(
                        "\"file\":\"hello.jar\"",
                        "\"symbolicName\":\"" + HELLO_BSN + "\"",
                        "\"state\":\"ACTIVE\"",
                        "\"error\":null",
                        "\"contributes\":{\"servlets\":[\"/api/ext/hello\"],\"runners\":[\"hello\"]}");
    }

    // ----------------------------------------------------------------- update in place

    @Test
    public void overwritingInPlaceServesTheNewVersionAndTheOldOneKeepsServingMeanwhile() throws Exception {
        Path jar = deploy(helloJar(), "hello.jar");
        String oldVersion = get("/api/ext/hello").field("version");
        byte[] newJar = TestJars.withVersion(helloJar(), "9.0.0");
        RequestLoop loop = RequestLoop.start(server().port(), "/api/ext/hello");
        try {
            try (FileChannel channel =
                    FileChannel.open(jar, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                // Same file, same inode: truncated and half rewritten, and left like that until the
                // watcher has looked at it twice and refused it.
                channel.write(ByteBuffer.wrap(newJar, 0, newJar.length / 2));
                channel.force(true);
                Poll.until(
                        "the half-written jar was looked at and refused",
                        DEADLINE,
                        () -> extensionQuietly("hello.jar")
                                .flatMap(ExtensionStatus::error)
                                .map(e -> e.code().equals("invalid_jar"))
                                .orElse(false));
                assertThat(get("/api/ext/hello").field("version"))
                        .as("the old version keeps serving")
                        .isEqualTo(oldVersion);

                channel.write(ByteBuffer.wrap(newJar, newJar.length / 2, newJar.length - newJar.length / 2));
                channel.force(true);
            }
            Poll.until("the new version serves", DEADLINE, () -> "9.0.0".equals(versionQuietly()));
            // the loop's own next answer comes a moment later: stopping it now could miss the new version
            Poll.until(
                    "the request loop got the new version too",
                    DEADLINE,
                    () -> loop.versions().contains("9.0.0"));
        } finally {
            loop.stop();
        }

        assertThat(loop.statuses()).as("every answer during the update").isSubsetOf(200, 404);
        assertThat(loop.versions()).containsOnly(oldVersion, "9.0.0");
        ExtensionStatus status = extension("hello.jar").orElseThrow();
        assertThat(status.version()).contains("9.0.0");
        assertThat(status.error()).isEmpty();
        assertThat(bundlesNamed(HELLO_BSN)).hasSize(1);
        assertThat(frameworkProblems).noneMatch(e -> causedBy(e.getThrowable(), ZipException.class));
        Poll.until("the update was posted", DEADLINE, () -> topics().contains(ExtensionEvents.UPDATED));
        assertThat(eventsOn(ExtensionEvents.UPDATED).get(0).getProperty(ExtensionEvents.VERSION))
                .isEqualTo("9.0.0");
    }

    @Test
    public void rewritingTheSameBytesKeepsTheBundleRunning() throws Exception {
        Path jar = deploy(helloJar(), "hello.jar");
        long bundleId = extension("hello.jar").orElseThrow().bundleId().orElseThrow();
        long startedAt = context().getBundle(bundleId).getLastModified();

        Files.write(jar, Files.readAllBytes(helloJar()));
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        // The watcher reports hello.jar's change no later than it first sees a new jar, and deploys
        // that one a scan later: once marker.jar is active, hello.jar has been looked at.
        deploy(TestJars.bundle("test.marker").writeTo(Files.createTempFile(home(), "marker", ".jar")), "marker.jar");

        assertThat(context().getBundle(bundleId).getLastModified()).isEqualTo(startedAt);
        assertThat(context().getBundle(bundleId).getState()).isEqualTo(Bundle.ACTIVE);
    }

    // ----------------------------------------------------------------- completeness

    @Test
    public void partiallyWrittenJarIsInstalledOnlyOnceComplete() throws Exception {
        byte[] bytes = Files.readAllBytes(helloJar());
        Path jar = extensionsFolder().resolve("partial.jar");
        try (FileChannel channel = FileChannel.open(jar, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
            channel.force(true);
            Poll.until(
                    "the watcher looked at the half-written jar",
                    DEADLINE,
                    () -> extensionQuietly("partial.jar")
                            .flatMap(ExtensionStatus::error)
                            .map(e -> e.code().equals("invalid_jar"))
                            .orElse(false));

            assertThat(bundlesNamed(HELLO_BSN)).isEmpty();
            assertThat(extension("partial.jar").orElseThrow().state()).isEqualTo(ExtensionStatus.NOT_INSTALLED);
            assertThat(status("/api/ext/hello")).isEqualTo(404);

            channel.write(ByteBuffer.wrap(bytes, bytes.length / 2, bytes.length - bytes.length / 2));
            channel.force(true);
        }

        Poll.until("the completed jar serves", DEADLINE, () -> status("/api/ext/hello") == 200);
        assertThat(extension("partial.jar").orElseThrow().error()).isEmpty();
        assertThat(frameworkProblems).noneMatch(e -> causedBy(e.getThrowable(), ZipException.class));
    }

    @Test
    public void hiddenAndNonJarFilesAreIgnored() throws Exception {
        Files.copy(helloJar(), extensionsFolder().resolve(".hello.jar"));
        Files.copy(helloJar(), extensionsFolder().resolve("hello.jar.part"));
        deploy(TestJars.bundle("test.marker").writeTo(Files.createTempFile(home(), "marker", ".jar")), "marker.jar");

        assertThat(catalog()).extracting(ExtensionStatus::file).containsExactly("marker.jar");
        assertThat(bundlesNamed(HELLO_BSN)).isEmpty();
    }

    // ----------------------------------------------------------------- isolation

    @Test
    public void jarWithoutBundleManifestIsReportedAndTheRestKeepsServing() throws Exception {
        deploy(helloJar(), "hello.jar");

        dropIn("plain.jar", TestJars.plainJar().header("Created-By", "a test").bytes());

        assertProblemAndHealthyNeighbours("plain.jar", "not_a_bundle", "Bundle-SymbolicName");
        assertThat(extension("plain.jar").orElseThrow().error().orElseThrow().message())
                .contains("bnd")
                .contains("io.heddle:heddle-extension-archetype");
    }

    @Test
    public void malformedManifestIsReportedAndTheRestKeepsServing() throws Exception {
        deploy(helloJar(), "hello.jar");

        dropIn(
                "bad-manifest.jar",
                TestJars.bundle("test.bad.manifest")
                        .header("Import-Package", "com.example.twice,com.example.twice")
                        .bytes());

        assertProblemAndHealthyNeighbours("bad-manifest.jar", "install_failed", "com.example.twice");
        assertThat(bundlesNamed("test.bad.manifest")).isEmpty();
    }

    @Test
    public void unresolvableImportIsReportedAndTheRestKeepsServing() throws Exception {
        deploy(helloJar(), "hello.jar");

        dropIn(
                "unresolved.jar",
                TestJars.bundle("test.unresolved")
                        .header("Import-Package", "com.example.missing;version=\"[1.2,2)\"")
                        .bytes());

        assertProblemAndHealthyNeighbours("unresolved.jar", "unresolved", "com.example.missing");
        assertThat(extension("unresolved.jar")
                        .orElseThrow()
                        .error()
                        .orElseThrow()
                        .message())
                .contains("nothing exports package com.example.missing (version [1.2.0,2.0.0))")
                .contains("into the jar");
        assertThat(extension("unresolved.jar").orElseThrow().state()).isEqualTo("INSTALLED");
    }

    @Test
    public void unresolvedExtensionStartsOnceAnotherExtensionProvidesWhatItNeeds() throws Exception {
        dropIn(
                "needs.jar",
                TestJars.bundle("test.needs")
                        .header("Import-Package", "com.example.provided")
                        .bytes());
        Poll.until(
                "needs.jar is reported unresolved",
                DEADLINE,
                () -> errorCode("needs.jar").equals("unresolved"));

        deploy(
                TestJars.bundle("test.provides")
                        .header("Export-Package", "com.example.provided")
                        .resource("com/example/provided/readme.txt", "a package")
                        .writeTo(Files.createTempFile(home(), "p", ".jar")),
                "provides.jar");

        awaitActive("needs.jar");

        Files.delete(extensionsFolder().resolve("provides.jar"));

        Poll.until(
                "needs.jar is reported unresolved again",
                DEADLINE,
                () -> errorCode("needs.jar").equals("unresolved"));
        assertThat(extension("needs.jar").orElseThrow().state()).isEqualTo("INSTALLED");
    }

    @Test
    public void activatorThatThrowsIsReportedAndTheRestKeepsServing() throws Exception {
        deploy(helloJar(), "hello.jar");

        dropIn(
                "activator.jar",
                TestJars.bundle("test.activator")
                        .header("Bundle-Activator", ThrowingActivator.class.getName())
                        .header("Import-Package", "org.osgi.framework")
                        .withClass(ThrowingActivator.class)
                        .bytes());

        assertProblemAndHealthyNeighbours("activator.jar", "start_failed", "activator boom");
    }

    @Test
    public void componentThatThrowsIsReportedAndTheRestKeepsServing() throws Exception {
        deploy(helloJar(), "hello.jar");

        dropIn(
                "component.jar",
                TestJars.bundle("test.component")
                        .component(
                                "test.throwing.component",
                                "immediate=\"true\" activate=\"activate\">\n" + "<implementation class=\""
                                        + ThrowingComponent.class.getName() + "\"/>\n")
                        .withClass(ThrowingComponent.class)
                        .bytes());

        assertProblemAndHealthyNeighbours("component.jar", "component_failed", "component boom");
        assertThat(extension("component.jar").orElseThrow().state()).isEqualTo("ACTIVE");
    }

    @Test
    public void servletThatThrowsGetsJsonErrorsIsReportedAndTheRestKeepsServing() throws Exception {
        deploy(helloJar(), "hello.jar");
        deploy(
                TestJars.bundle("test.servlet")
                        .component(
                                "test.throwing.servlet",
                                ">\n<service><provide interface=\"jakarta.servlet.Servlet\"/></service>\n"
                                        + "<property name=\"osgi.http.whiteboard.servlet.pattern\" value=\"/api/ext/broken\"/>\n"
                                        + "<property name=\"osgi.http.whiteboard.context.select\" "
                                        + "value=\"(osgi.http.whiteboard.context.name=heddle)\"/>\n"
                                        + "<implementation class=\"" + ThrowingServlet.class.getName() + "\"/>\n")
                        .header("Import-Package", "jakarta.servlet,jakarta.servlet.http")
                        .withClass(ThrowingServlet.class)
                        .writeTo(Files.createTempFile(home(), "servlet", ".jar")),
                "servlet.jar");

        // The servlet can answer 404 for a moment after the runtime lists it; each 500 below is one failure.
        AtomicReference<RawHttp.Response> first = new AtomicReference<>();
        Poll.until("/api/ext/broken is routed to its servlet", DEADLINE, () -> {
            first.set(get("/api/ext/broken"));
            return first.get().status != 404;
        });
        for (int i = 0; i < 3; i++) {
            RawHttp.Response broken = i == 0 ? first.get() : get("/api/ext/broken");
            assertThat(broken.status).isEqualTo(500);
            assertThat(broken.headers.get("content-type")).startsWith("application/json");
            assertThat(broken.field("code")).isEqualTo("extension_failed");
        }

        assertProblemAndHealthyNeighbours("servlet.jar", "servlet_failed", "servlet boom");
        assertThat(extension("servlet.jar").orElseThrow().error().orElseThrow().message())
                .contains("3 times");
        assertThat(extension("servlet.jar").orElseThrow().servlets()).containsExactly("/api/ext/broken");
    }

    @Test
    public void symbolicNameOfThePlatformOrAnotherExtensionIsRefused() throws Exception {
        deploy(helloJar(), "hello.jar");

        dropIn(
                "impostor.jar",
                TestJars.bundle("io.heddle.http")
                        .header("Bundle-Version", "99.0.0")
                        .bytes());
        dropIn("hello-copy.jar", Files.readAllBytes(helloJar()));

        assertProblemAndHealthyNeighbours("impostor.jar", "duplicate", "platform bundle io.heddle.http");
        assertProblemAndHealthyNeighbours("hello-copy.jar", "duplicate", "the extension hello.jar");
        assertThat(bundlesNamed("io.heddle.http")).hasSize(1);

        // Once hello.jar is gone, its name is free for the copy.
        Files.delete(extensionsFolder().resolve("hello.jar"));
        awaitActive("hello-copy.jar");
        // its servlet reaches the whiteboard just after the bundle is active, as at any deploy
        Poll.until("the copy serves /api/ext/hello", DEADLINE, () -> status("/api/ext/hello") == 200);
    }

    // ----------------------------------------------------------------- load and leaks

    @Test
    public void fiftyDeployUndeployCyclesNeverFailAHealthCallAndLeaveNoThreads() throws Exception {
        Path folder = extensionsFolder();
        RequestLoop health = RequestLoop.start(server().port(), "/api/health");
        int baseline;
        try {
            cycle(folder); // warm-up: the first deploy loads classes and starts pools that then stay
            baseline = threadsOutsideBoundedPools();
            for (int i = 0; i < 50; i++) {
                cycle(folder);
            }
        } finally {
            health.stop();
        }

        assertThat(health.calls()).isGreaterThan(50);
        assertThat(health.statuses()).containsOnly(200);
        assertThat(health.failures()).isZero();
        try {
            Poll.until(
                    "the live thread count is back at " + baseline,
                    Duration.ofSeconds(30),
                    () -> threadsOutsideBoundedPools() <= baseline);
        } catch (AssertionError e) {
            System.out.println("threads: " + threadNames());
            throw e;
        }
        assertThat(threadsNamed("EventAdmin"))
                .as("Event Admin's pools (20 + 10 threads)")
                .isLessThanOrEqualTo(30);
    }

    /**
     * The live threads, except the members of two platform pools whose size follows the load, not
     * the number of deploys: Jetty's request pool ({@code qtp...}, bounded by its maximum, drops
     * one idle thread a minute) and Event Admin's delivery pools (they grow to 20 + 10 threads
     * and keep them). Everything a deploy or an extension starts, and fails to stop, counts.
     */
    private static int threadsOutsideBoundedPools() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> !name.startsWith("qtp") && !name.startsWith("EventAdmin"))
                .count();
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix))
                .count();
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .sorted()
                .collect(Collectors.joining(", "));
    }

    private void cycle(Path folder) throws IOException {
        Path staged = Files.createTempFile(folder, ".hello", ".part");
        Files.copy(helloJar(), staged, StandardCopyOption.REPLACE_EXISTING);
        Path jar = Files.move(staged, folder.resolve("hello.jar"), StandardCopyOption.ATOMIC_MOVE);
        Poll.until("hello serves", DEADLINE, () -> status("/api/ext/hello") == 200);
        Files.delete(jar);
        Poll.until("hello is gone", DEADLINE, () -> status("/api/ext/hello") == 404);
    }

    // ----------------------------------------------------------------- start-up reconciliation

    @Test
    public void changesMadeWhileTheWatcherWasStoppedAreAppliedWhenItStarts() throws Exception {
        deploy(helloJar(), "hello.jar");
        deploy(TestJars.bundle("test.kept").writeTo(Files.createTempFile(home(), "kept", ".jar")), "kept.jar");
        Path folder = extensionsFolder();
        Bundle extensions = extensionsBundle();

        extensions.stop();
        Files.delete(folder.resolve("hello.jar"));
        Files.write(
                folder.resolve("kept.jar"),
                TestJars.bundle("test.kept").header("Bundle-Version", "2.0.0").bytes());
        TestJars.bundle("test.added").writeTo(folder.resolve("added.jar"));
        assertThat(bundlesNamed(HELLO_BSN)).as("nothing watches while stopped").hasSize(1);
        extensions.start();

        Poll.until(
                "the removed jar's bundle is uninstalled",
                DEADLINE,
                () -> bundlesNamed(HELLO_BSN).isEmpty());
        assertThat(status("/api/ext/hello")).isEqualTo(404);
        awaitActive("added.jar");
        Poll.until(
                "the changed jar's bundle is updated",
                DEADLINE,
                () -> extensionQuietly("kept.jar")
                        .flatMap(ExtensionStatus::version)
                        .map("2.0.0"::equals)
                        .orElse(false));
        assertThat(catalog()).extracting(ExtensionStatus::file).containsExactlyInAnyOrder("kept.jar", "added.jar");
    }

    // ----------------------------------------------------------------- configuration

    @Test
    public void configuredFolderIsWatchedAndExtensionsOfTheOldFolderAreRemoved() throws Exception {
        deploy(helloJar(), "hello.jar");
        Path other = Files.createDirectories(home().resolve("other-extensions")).toRealPath();
        ConfigurationAdmin configAdmin = service(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration("io.heddle.extensions", "?");
        try {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("dir", other.toString());
            properties.put("pollMs", 50L);
            configuration.update(properties);
            Poll.until(
                    "the configured folder is watched",
                    DEADLINE,
                    () -> folderQuietly().equals(other));

            assertThat(bundlesNamed(HELLO_BSN))
                    .as("the old folder's extension is gone")
                    .isEmpty();
            deploy(helloJar(), "hello.jar");
            assertThat(extensionsFolder().resolve("hello.jar")).exists();
            assertThat(status("/api/ext/hello")).isEqualTo(200);
        } finally {
            configuration.delete();
        }
        Path defaultFolder = home().resolve("extensions").toRealPath();
        Poll.until(
                "the default folder is watched again",
                DEADLINE,
                () -> folderQuietly().equals(defaultFolder));
    }

    // ----------------------------------------------------------------- helpers

    private void dropIn(String fileName, byte[] bytes) throws IOException, InterruptedException {
        Path staged = Files.createTempFile(extensionsFolder(), "." + fileName, ".part");
        Files.write(staged, bytes);
        Files.move(staged, extensionsFolder().resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    private void assertProblemAndHealthyNeighbours(String fileName, String code, String messagePart) throws Exception {
        Poll.until(
                fileName + " is reported with " + code,
                DEADLINE,
                () -> errorCode(fileName).equals(code));
        assertThat(extension(fileName).orElseThrow().error().orElseThrow().message())
                .contains(messagePart);
        assertThat(get("/api/health").status).as("the core keeps serving").isEqualTo(200);
        assertThat(get("/api/extensions").body).contains("\"code\":\"" + code + "\"");
        if (!fileName.equals("hello.jar") && extensionQuietly("hello.jar").isPresent()) {
            assertThat(get("/api/ext/hello").status)
                    .as("the other extension keeps serving")
                    .isEqualTo(200);
            assertThat(extension("hello.jar").orElseThrow().error()).isEmpty();
        }
        Poll.until(
                "the problem was posted",
                DEADLINE,
                () -> eventsOn(ExtensionEvents.FAILED).stream()
                        .anyMatch(e -> fileName.equals(e.getProperty(ExtensionEvents.FILE))
                                && code.equals(e.getProperty(ExtensionEvents.CODE))));
    }

    private String errorCode(String fileName) {
        return extensionQuietly(fileName)
                .flatMap(ExtensionStatus::error)
                .map(e -> e.code())
                .orElse("");
    }

    private List<ExtensionStatus> catalog() {
        try {
            return service(io.heddle.api.extensions.ExtensionCatalog.class).extensions();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private Optional<ExtensionStatus> extensionQuietly(String fileName) {
        return catalog().stream().filter(e -> e.file().equals(fileName)).findFirst();
    }

    private Path folderQuietly() {
        try {
            return extensionsFolder();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private int status(String path) {
        try {
            return get(path).status;
        } catch (IOException e) {
            return -1;
        }
    }

    private String versionQuietly() {
        try {
            RawHttp.Response response = get("/api/ext/hello");
            return response.status == 200 ? response.field("version") : null;
        } catch (IOException e) {
            return null;
        }
    }

    private List<Bundle> bundlesNamed(String symbolicName) {
        return Arrays.stream(context().getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .collect(Collectors.toList());
    }

    private Bundle extensionsBundle() {
        return bundlesNamed("io.heddle.extensions").get(0);
    }

    private void ensureExtensionsBundleActive() throws Exception {
        Bundle extensions = extensionsBundle();
        if (extensions.getState() != Bundle.ACTIVE) {
            extensions.start();
        }
    }

    private List<String> topics() {
        return events.stream().map(Event::getTopic).collect(Collectors.toList());
    }

    private List<Event> eventsOn(String topic) {
        return events.stream().filter(e -> e.getTopic().equals(topic)).collect(Collectors.toList());
    }

    private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Calls one path in a loop on its own thread and counts the answers, until stopped. */
    static final class RequestLoop {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        private final List<String> versions = new CopyOnWriteArrayList<>();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger calls = new AtomicInteger();
        private Thread thread;

        static RequestLoop start(int port, String path) {
            RequestLoop loop = new RequestLoop();
            loop.thread = new Thread(
                    () -> {
                        while (loop.running.get()) {
                            loop.calls.incrementAndGet();
                            try {
                                RawHttp.Response response = RawHttp.get(port, path);
                                loop.byStatus
                                        .computeIfAbsent(response.status, s -> new AtomicInteger())
                                        .incrementAndGet();
                                String version = response.status == 200 ? response.field("version") : null;
                                if (version != null && !loop.versions.contains(version)) {
                                    loop.versions.add(version);
                                }
                            } catch (IOException | RuntimeException e) {
                                loop.failures.incrementAndGet();
                            }
                        }
                    },
                    "request-loop " + path);
            loop.thread.start();
            return loop;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        List<Integer> statuses() {
            return new ArrayList<>(byStatus.keySet());
        }

        List<String> versions() {
            return versions;
        }

        int failures() {
            return failures.get();
        }

        int calls() {
            return calls.get();
        }
    }
}
