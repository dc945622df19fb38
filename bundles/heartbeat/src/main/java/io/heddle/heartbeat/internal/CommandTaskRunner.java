package io.heddle.heartbeat.internal;

import static io.heddle.storage.internal.JsonFields.array;
import static io.heddle.storage.internal.JsonFields.integer;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatRunException;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;

/**
 * The built-in {@code command} runner: runs {@code runnerConfig.argv} directly (no shell) in
 * the workspace root, with {@code runnerConfig.timeoutMs} (default 60 s). It keeps the exit
 * code and the last 64 KiB of stdout and stderr with the run.
 * <ul>
 * <li>exit 0 {@literal ->} continue;</li>
 * <li>any other exit {@literal ->} escalate (the task is blocked until an operator resumes it);</li>
 * <li>timeout, or a command that cannot start {@literal ->} the run fails (retried after a backoff);
 *     a timeout kills the process and all its descendants.</li>
 * </ul>
 */
@Component(service = HeartbeatTaskRunner.class, property = HeartbeatTaskRunner.KIND + "=" + CommandTaskRunner.KIND)
public final class CommandTaskRunner implements HeartbeatTaskRunner {

    public static final String KIND = "command";
    static final int TAIL_BYTES = 64 * 1024;
    static final long DEFAULT_TIMEOUT_MS = 60_000;
    static final long MAX_TIMEOUT_MS = 24L * 60 * 60 * 1000;
    private static final long DRAIN_WAIT_MS = 5_000;
    private static final File NULL_FILE =
            new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");

    /** The checked configuration. */
    record CommandSpec(List<String> argv, long timeoutMs) {}

    @Override
    public void validate(Map<String, Object> runnerConfig) {
        spec(runnerConfig);
    }

    static CommandSpec spec(Map<String, Object> config) {
        List<Object> raw = array(config.get("argv"));
        if (raw == null || raw.isEmpty()) {
            throw new HeartbeatTaskValidationException(
                    "runnerConfig.argv",
                    "Field 'runnerConfig.argv' is required: a "
                            + "non-empty array of strings, the program and its arguments, e.g. [\"git\", \"status\", \"--short\"].");
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Object item = raw.get(i);
            if (!(item instanceof String) || (i == 0 && ((String) item).isBlank())) {
                throw new HeartbeatTaskValidationException(
                        "runnerConfig.argv",
                        "Field 'runnerConfig.argv' item " + i + " must be a " + (i == 0 ? "non-empty " : "")
                                + "string.");
            }
            if (((String) item).indexOf('\0') >= 0) {
                throw new HeartbeatTaskValidationException(
                        "runnerConfig.argv",
                        "Field 'runnerConfig.argv' item " + i + " must not contain a NUL character.");
            }
            argv.add((String) item);
        }
        long timeout = DEFAULT_TIMEOUT_MS;
        if (config.containsKey("timeoutMs")) {
            Object raw0 = config.get("timeoutMs");
            // JSON gives Long; a runnerConfig built in Java may hold an Integer
            Long t = raw0 instanceof Integer || raw0 instanceof Short
                    ? Long.valueOf(((Number) raw0).longValue())
                    : integer(config, "timeoutMs");
            if (t == null || t < 1 || t > MAX_TIMEOUT_MS) {
                throw new HeartbeatTaskValidationException(
                        "runnerConfig.timeoutMs",
                        "Field 'runnerConfig.timeoutMs' " + "must be a whole number of milliseconds between 1 and "
                                + MAX_TIMEOUT_MS + ".");
            }
            timeout = t;
        }
        return new CommandSpec(List.copyOf(argv), timeout);
    }

    @Override
    public HeartbeatRunResult run(HeartbeatRunContext context) throws HeartbeatRunException, InterruptedException {
        CommandSpec spec;
        try {
            spec = spec(context.runnerConfig());
        } catch (HeartbeatTaskValidationException e) {
            throw new HeartbeatRunException("invalid runnerConfig: " + e.getMessage());
        }
        Path dir = context.workspaceRoot();
        ProcessBuilder builder = new ProcessBuilder(spec.argv())
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NULL_FILE));
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new HeartbeatRunException(
                    "could not start " + spec.argv().get(0) + " in " + dir + ": " + e.getMessage(),
                    Map.of("argv", new ArrayList<Object>(spec.argv())),
                    e);
        }
        OutputTail out = new OutputTail(TAIL_BYTES);
        OutputTail err = new OutputTail(TAIL_BYTES);
        Thread outDrain = drain(process.getInputStream(), out, "stdout", process.pid());
        Thread errDrain = drain(process.getErrorStream(), err, "stderr", process.pid());
        boolean exited;
        try {
            exited = process.waitFor(spec.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        int killed = 0;
        if (!exited) {
            killed = killTree(process);
            process.waitFor(DRAIN_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        outDrain.join(DRAIN_WAIT_MS);
        errDrain.join(DRAIN_WAIT_MS);
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("argv", new ArrayList<Object>(spec.argv()));
        details.put("exitCode", exited ? process.exitValue() : null);
        details.put("durationMs", durationMs);
        details.put("timedOut", !exited);
        details.put("stdoutTail", out.text());
        details.put("stdoutBytes", out.total());
        details.put("stdoutTruncated", out.truncated());
        details.put("stderrTail", err.text());
        details.put("stderrBytes", err.total());
        details.put("stderrTruncated", err.truncated());
        String command = String.join(" ", spec.argv());
        if (!exited) {
            throw new HeartbeatRunException(
                    "'" + command + "' timed out after " + spec.timeoutMs() + " ms; killed it and " + killed
                            + " descendant process(es)",
                    details,
                    null);
        }
        int exit = process.exitValue();
        if (exit == 0) {
            return new HeartbeatRunResult(HeartbeatDecision.CONTINUE, "'" + command + "' exited with 0", details);
        }
        return new HeartbeatRunResult(
                HeartbeatDecision.ESCALATE, "'" + command + "' exited with " + exit + lastLine(err.text()), details);
    }

    private static String lastLine(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        int nl = trimmed.lastIndexOf('\n');
        String line = nl < 0 ? trimmed : trimmed.substring(nl + 1);
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private static Thread drain(InputStream in, OutputTail tail, String name, long pid) {
        Thread t = new Thread(
                () -> {
                    try (InputStream stream = in) {
                        tail.drain(stream);
                    } catch (IOException e) {
                        // the process is gone and its pipe closed: what was read is kept
                    }
                },
                "heddle-command-" + pid + "-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Kills the process and every descendant. The descendants are listed first: once the
     * parent is dead its children are re-parented and no longer show as its descendants.
     */
    static int killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        return descendants.size();
    }
}
