package ${package};

import io.heddle.api.lifecycle.ErrorEnvelope;

/** The JSON this extension answers with; its errors are Heddle's {@link ErrorEnvelope}. */
public final class HelloMessage {

    private HelloMessage() {
    }

    /** {"message":"Hello from ${artifactId}","serverId":"..."} */
    public static String hello(String serverId) {
        return "{\"message\":" + ErrorEnvelope.quote("Hello from ${artifactId}") + ",\"serverId\":"
                + ErrorEnvelope.quote(serverId) + "}";
    }
}
