package io.heddle.itest.extensions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds the jars the hot-deploy tests drop into the extensions folder: a new version of the
 * example extension (the same bundle with another Bundle-Version), and small broken bundles
 * made of a manifest, a component description and classes of these tests.
 */
public final class TestJars {

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private TestJars() {
        headers.put("Bundle-ManifestVersion", "2");
    }

    /** A bundle jar with this symbolic name and version 1.0.0. */
    public static TestJars bundle(String symbolicName) {
        return new TestJars().header("Bundle-SymbolicName", symbolicName).header("Bundle-Version", "1.0.0");
    }

    /** A jar whose manifest has only the headers given (no bundle headers at all). */
    public static TestJars plainJar() {
        TestJars jar = new TestJars();
        jar.headers.clear();
        return jar;
    }

    public TestJars header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public TestJars without(String name) {
        headers.remove(name);
        return this;
    }

    public TestJars resource(String path, String text) {
        entries.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Adds a class of these tests, copied from the test bundle, under its own name. */
    public TestJars withClass(Class<?> type) throws IOException {
        String path = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            entries.put(path, in.readAllBytes());
        }
        return this;
    }

    /** A Declarative Services component description, and the Service-Component header naming it. */
    public TestJars component(String name, String xmlBody) {
        String path = "OSGI-INF/" + name + ".xml";
        headers.merge("Service-Component", path, (a, b) -> a + "," + b);
        return resource(
                path,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\" "
                        + xmlBody + "</scr:component>\n");
    }

    public byte[] bytes() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(entry.getKey()));
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        }
        return out.toByteArray();
    }

    public Path writeTo(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    /** The same jar with another Bundle-Version: a real new version of that bundle. */
    public static byte[] withVersion(Path jar, String version) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JarOutputStream copy = new JarOutputStream(out, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    copy.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(copy);
                    copy.closeEntry();
                }
            }
            return out.toByteArray();
        }
    }
}
