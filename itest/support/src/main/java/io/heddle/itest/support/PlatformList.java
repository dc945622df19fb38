package io.heddle.itest.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The platform's bundles as the POM {@code io.heddle:heddle-platform} lists them, and where each
 * is in a local Maven repository. The POM has no parent and writes every version out (only
 * {@code ${project.version}} and its own properties are interpolated), so it is read as it is.
 * Runs in the test JVM.
 */
public final class PlatformList {

    /** One bundle of the platform, by its Maven coordinates. */
    public record Coordinates(String groupId, String artifactId, String version) {

        /** Its jar's path in a local repository laid out as Maven lays it out. */
        public Path in(Path localRepository) {
            return localRepository
                    .resolve(groupId.replace('.', '/'))
                    .resolve(artifactId)
                    .resolve(version)
                    .resolve(artifactId + "-" + version + ".jar");
        }

        /** The pax-url-aether URL of its jar. */
        public String mvnUrl() {
            return "mvn:" + groupId + "/" + artifactId + "/" + version;
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private PlatformList() {}

    /** The bundles the POM lists, in its order. */
    public static List<Coordinates> read(Path pom) {
        if (!Files.isRegularFile(pom)) {
            throw new IllegalStateException("The Heddle platform list " + pom + " does not exist. Depend on "
                    + "io.heddle:heddle-platform (<type>pom</type>) and let Maven resolve it, or point -D"
                    + HeddlePlatform.PLATFORM_POM_PROPERTY + " at the file.");
        }
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            document = builder.parse(pom.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException(
                    "The Heddle platform list " + pom + " cannot be read (" + e.getMessage()
                            + "). Delete it from the local repository and build again, so that Maven fetches it anew.",
                    e);
        }
        Element project = document.getDocumentElement();
        Map<String, String> properties = new HashMap<>();
        Element props = child(project, "properties");
        if (props != null) {
            for (Element p : children(props)) {
                properties.put(p.getTagName(), p.getTextContent().trim());
            }
        }
        String version = text(project, "version");
        if (version == null) {
            throw new IllegalStateException("The Heddle platform list " + pom + " has no <version>: it is not the "
                    + "io.heddle:heddle-platform POM.");
        }
        properties.put("project.version", version);
        properties.put("version", version);
        List<Coordinates> bundles = new ArrayList<>();
        Element dependencies = child(project, "dependencies");
        if (dependencies != null) {
            for (Element dependency : children(dependencies)) {
                String type = text(dependency, "type");
                if (type != null && !type.equals("jar")) {
                    continue;
                }
                bundles.add(new Coordinates(
                        interpolate(text(dependency, "groupId"), properties, pom),
                        interpolate(text(dependency, "artifactId"), properties, pom),
                        interpolate(text(dependency, "version"), properties, pom)));
            }
        }
        if (bundles.isEmpty()) {
            throw new IllegalStateException("The Heddle platform list " + pom + " lists no bundles: it is not the "
                    + "io.heddle:heddle-platform POM.");
        }
        return bundles;
    }

    private static String interpolate(String value, Map<String, String> properties, Path pom) {
        if (value == null) {
            throw new IllegalStateException("A dependency of the Heddle platform list " + pom + " lacks its groupId, "
                    + "artifactId or version.");
        }
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = properties.get(m.group(1));
            if (replacement == null) {
                throw new IllegalStateException(
                        "The Heddle platform list " + pom + " uses ${" + m.group(1) + "}, which it does not define.");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static Element child(Element parent, String name) {
        for (Element e : children(parent)) {
            if (e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }
}
