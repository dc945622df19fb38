package ${package};

/** The JSON this extension answers with; Heddle's error shape is {"error":{"code":..,"message":..}}. */
public final class HelloMessage {

    private HelloMessage() {
    }

    /** {"message":"Hello from ${artifactId}","serverId":"..."} */
    public static String hello(String serverId) {
        return "{\"message\":" + quote("Hello from ${artifactId}") + ",\"serverId\":" + quote(serverId) + "}";
    }

    /** {"error":{"code":"...","message":"..."}} */
    public static String error(String code, String message) {
        return "{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}}";
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
