package io.heddle.http.internal;

import io.heddle.storage.internal.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's OpenAPI 3.1 document: the contract written once in this bundle
 * ({@code openapi/openapi.json}), plus the paths and component schemas that extensions contribute.
 * A contribution never replaces a path or schema that is already there (the core's, or an
 * earlier extension's); what it would have replaced is reported as skipped.
 */
final class OpenApiDocument {

    /** The resource of this bundle that holds the contract. */
    static final String RESOURCE = "/openapi/openapi.json";

    private OpenApiDocument() {}

    /** The contract as a fresh, mutable tree. */
    static Map<String, Object> core() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The http bundle lacks its OpenAPI document " + RESOURCE);
            }
            return object(JsonTree.parse(in.readAllBytes()), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the OpenAPI document " + RESOURCE, e);
        }
    }

    /**
     * Adds one contribution's {@code paths} and {@code components.schemas} to {@code document}.
     *
     * @param source       the contribution's name for messages (bundle and resource)
     * @param contribution a parsed OpenAPI fragment: {@code {"paths":{...},"components":{"schemas":{...}}}}
     * @return one line per member that was not added, empty when everything was
     */
    static List<String> contribute(Map<String, Object> document, String source, Object contribution) {
        List<String> skipped = new ArrayList<>();
        if (!(contribution instanceof Map)) {
            skipped.add(source + " is not a JSON object with \"paths\"");
            return skipped;
        }
        Map<?, ?> fragment = (Map<?, ?>) contribution;
        merge(section(document, "paths"), fragment.get("paths"), source, "path", skipped);
        Object components = fragment.get("components");
        if (components instanceof Map) {
            Map<String, Object> target = section(section(document, "components"), "schemas");
            merge(target, ((Map<?, ?>) components).get("schemas"), source, "schema", skipped);
        }
        return skipped;
    }

    private static void merge(
            Map<String, Object> target, Object members, String source, String kind, List<String> skipped) {
        if (!(members instanceof Map)) {
            return;
        }
        for (Map.Entry<?, ?> member : ((Map<?, ?>) members).entrySet()) {
            String name = String.valueOf(member.getKey());
            if (target.containsKey(name)) {
                skipped.add(source + ": " + kind + " " + name + " is already described; the contribution is ignored");
            } else {
                target.put(name, member.getValue());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> parent, String name) {
        Object section = parent.get(name);
        if (!(section instanceof Map)) {
            section = new LinkedHashMap<String, Object>();
            parent.put(name, section);
        }
        return (Map<String, Object>) section;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String source) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException(source + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }
}
