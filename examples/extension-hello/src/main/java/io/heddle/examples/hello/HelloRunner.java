package io.heddle.examples.hello;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The heartbeat task runner of kind {@code hello}: each run greets the workspace and carries
 * on. {@code runnerConfig} may hold {@code greeting}, a string (default {@code Hello}).
 */
@Component(property = HeartbeatTaskRunner.KIND + "=" + HelloRunner.KIND)
public final class HelloRunner implements HeartbeatTaskRunner {

    static final String KIND = "hello";

    @Override
    public HeartbeatRunResult run(HeartbeatRunContext context) {
        String greeting = greeting(context.runnerConfig());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("serverId", context.serverId());
        details.put("workspaceRoot", context.workspaceRoot().toString());
        return new HeartbeatRunResult(
                HeartbeatDecision.CONTINUE,
                greeting + ", " + context.workspaceRoot().getFileName() + "!",
                details);
    }

    @Override
    public void validate(Map<String, Object> runnerConfig) {
        Object greeting = runnerConfig.get("greeting");
        if (greeting != null && !(greeting instanceof String && !((String) greeting).isBlank())) {
            throw new HeartbeatTaskValidationException(
                    "runnerConfig.greeting", "runnerConfig.greeting must be a non-empty string.");
        }
    }

    private static String greeting(Map<String, Object> runnerConfig) {
        Object greeting = runnerConfig.get("greeting");
        return greeting instanceof String && !((String) greeting).isBlank() ? (String) greeting : "Hello";
    }
}
