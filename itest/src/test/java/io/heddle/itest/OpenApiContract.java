package io.heddle.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

/**
 * The contract test: every answer the test helpers get from an {@code /api/} path is checked
 * against the OpenAPI 3.1 document of the repository ({@code bundles/http/src/main/resources/openapi/openapi.json})
 * plus the fragment the example extension ships. Bodies are validated by the networknt JSON
 * Schema validator (draft 2020-12, the dialect of OpenAPI 3.1); finding the operation and the
 * response (path template, method, status, media type) is done here.
 * <ul>
 * <li>a documented path and method: the status must be documented (exactly, as {@code 4XX}, or
 *     {@code default}), the media type too, and a JSON (or NDJSON, line by line) body must match
 *     its schema;</li>
 * <li>an undocumented path or method: only a refusal in the error envelope may answer it (a
 *     {@code 4xx}, or {@code 500 extension_failed} under {@code /api/ext/}); a success fails.</li>
 * </ul>
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OpenApiContract standard;

    private final JsonNode document;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final JsonSchema errorSchema;

    public OpenApiContract(JsonNode document) {
        this.document = document;
        this.errorSchema = compile(JSON.createObjectNode().put("$ref", "#/components/schemas/Error"));
    }

    /** The repository's document with the example extension's paths. */
    public static OpenApiContract standard() {
        OpenApiContract c = standard;
        if (c == null) {
            synchronized (OpenApiContract.class) {
                if (standard == null) {
                    standard = new OpenApiContract(withContributions(read(documentPath())));
                }
                c = standard;
            }
        }
        return c;
    }

    /** Fails the calling test when the answer breaks the contract. */
    public static void check(String method, String target, int status, String contentType, String body) {
        standard().problem(method, target, status, contentType, body).ifPresent(problem -> {
            throw new AssertionError("OpenAPI contract broken by " + method + " " + target + " -> " + status + ": "
                    + problem + "\nbody: " + (body.length() > 600 ? body.substring(0, 600) + "..." : body));
        });
    }

    /** {@link #check(String, String, int, String, String)} for the JDK's HTTP client. */
    public static void check(java.net.http.HttpRequest request, java.net.http.HttpResponse<String> response) {
        String target = request.uri().getRawPath()
                + (request.uri().getRawQuery() == null
                        ? ""
                        : "?" + request.uri().getRawQuery());
        check(
                request.method(),
                target,
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.body() == null ? "" : response.body());
    }

    static Path documentPath() {
        String configured = System.getProperty("heddle.openapi");
        return configured != null
                ? Path.of(configured)
                : Path.of("../bundles/http/src/main/resources/openapi/openapi.json");
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the OpenAPI document " + file, e);
        }
    }

    /** The document plus the example extension's fragment (its {@code Heddle-OpenAPI} resource). */
    static JsonNode withContributions(JsonNode core) {
        String jar = System.getProperty("heddle.exampleExtension", "target/test-extensions/extension-hello.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            return core;
        }
        try (ZipFile zip = new ZipFile(jar)) {
            var entry = zip.getEntry("openapi.json");
            if (entry == null) {
                return core;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                JsonNode fragment = JSON.readTree(in);
                ObjectNode merged = core.deepCopy();
                merge((ObjectNode) merged.get("paths"), fragment.path("paths"));
                merge(
                        (ObjectNode) merged.get("components").get("schemas"),
                        fragment.path("components").path("schemas"));
                return merged;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the OpenAPI fragment of " + jar, e);
        }
    }

    private static void merge(ObjectNode target, JsonNode members) {
        for (Iterator<Map.Entry<String, JsonNode>> it = members.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (!target.has(member.getKey())) {
                target.set(member.getKey(), member.getValue());
            }
        }
    }

    /** What is wrong with this answer, or empty when it keeps the contract. */
    public Optional<String> problem(String method, String target, int status, String contentType, String body) {
        String path = target.split("[?#]", 2)[0];
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return Optional.empty();
        }
        Optional<String> template = template(path);
        String verb = method.toUpperCase(Locale.ROOT).equals("HEAD") ? "get" : method.toLowerCase(Locale.ROOT);
        JsonNode operation =
                template.map(t -> document.path("paths").path(t).path(verb)).orElse(null);
        if (operation == null || operation.isMissingNode()) {
            boolean refusal = status >= 400 && status < 500
                    || status == 500 && path.startsWith("/api/ext/") && body.contains("\"extension_failed\"");
            if (!refusal) {
                return Optional.of(
                        template.isEmpty()
                                ? "the path is not in the OpenAPI document"
                                : "the method is not in the OpenAPI document for " + template.get());
            }
            return errors(errorSchema, body).map(e -> "a refusal not in the error envelope: " + e);
        }
        JsonNode responses = operation.path("responses");
        JsonNode response = responses.path(Integer.toString(status));
        if (response.isMissingNode()) {
            response = responses.path((status / 100) + "XX");
        }
        if (response.isMissingNode()) {
            response = responses.path("default");
        }
        if (response.isMissingNode()) {
            return Optional.of("status " + status + " is not documented for " + verb.toUpperCase(Locale.ROOT) + " "
                    + template.get());
        }
        response = resolve(response);
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty() || body.isEmpty()) {
            return content.isMissingNode() && !body.isEmpty()
                    ? Optional.of("a body where the document gives none")
                    : Optional.empty();
        }
        String mediaType =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode media = content.path(mediaType);
        if (media.isMissingNode()) {
            media = content.path("*/*");
        }
        if (media.isMissingNode()) {
            return Optional.of("media type '" + mediaType + "' is not documented (documented: "
                    + content.fieldNames().next() + ")");
        }
        if (!mediaType.equals("application/json") && !mediaType.equals("application/x-ndjson")) {
            return Optional.empty();
        }
        String key = template.get() + " " + verb + " " + status + " " + mediaType;
        JsonNode schemaNode = media.path("schema");
        JsonSchema schema = schemas.computeIfAbsent(key, k -> compile(schemaNode));
        if (mediaType.equals("application/json")) {
            return errors(schema, body);
        }
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                Optional<String> lineProblem = errors(schema, line);
                if (lineProblem.isPresent()) {
                    return Optional.of("line " + line + ": " + lineProblem.get());
                }
            }
        }
        return Optional.empty();
    }

    /** The documented path template for a concrete path: literal segments win over parameters. */
    Optional<String> template(String path) {
        String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            String[] parts = candidate.split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
                    matches = !segments[i].isEmpty();
                } else if (parts[i].equals(segments[i])) {
                    literals++;
                } else {
                    matches = false;
                }
            }
            if (matches && literals > bestLiterals) {
                best = candidate;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (!ref.isTextual()) {
            return node;
        }
        return document.at(ref.asText().substring(1));
    }

    private JsonSchema compile(JsonNode schemaNode) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("allOf", JSON.createArrayNode().add(schemaNode));
        root.set("components", document.path("components"));
        return factory.getSchema(root);
    }

    private static Optional<String> errors(JsonSchema schema, String body) {
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.of("the body is not JSON: " + e.getMessage().split("\n")[0]);
        }
        if (value == null || value.isMissingNode()) {
            return Optional.of("the body is empty");
        }
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.isEmpty()
                ? Optional.empty()
                : Optional.of(messages.stream()
                        .map(ValidationMessage::getMessage)
                        .sorted()
                        .collect(Collectors.joining("; ")));
    }
}
