package io.heddle.engines.internal;

import static io.heddle.storage.internal.JsonFields.format;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatReplyStream;
import io.heddle.api.chat.ChatRole;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatRunException;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import io.heddle.api.heartbeat.HeartbeatTasks;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code agent} runner: runs a task's instruction through a chat engine
 * ({@code runnerConfig.engine} names it; without it, the highest-ranked engine). The model gets
 * the task's name, its instruction and a short summary of its latest runs, and is asked to end
 * with a decision line ({@link AgentDecisionLine#FORMAT}), which becomes the run's decision.
 * The model's reply is the run's {@code details.output}. A reply without a readable decision,
 * a missing or unusable engine, and an engine failure are failed runs that say so.
 */
@Component(service = HeartbeatTaskRunner.class, property = HeartbeatTaskRunner.KIND + "=" + AgentTaskRunner.KIND)
public final class AgentTaskRunner implements HeartbeatTaskRunner {

    public static final String KIND = "agent";
    static final int OUTPUT_LIMIT = 64 * 1024;
    static final int HISTORY_RUNS = 5;
    static final int HISTORY_LINE_CHARS = 300;

    private static final Logger LOG = LoggerFactory.getLogger(AgentTaskRunner.class);

    private record Entry(ChatEngine engine, int ranking, long serviceId) {}

    private final List<Entry> engines = new CopyOnWriteArrayList<>();

    /**
     * Looked up per run, not referenced: the task service references every runner, so a
     * reference back would be a cycle.
     */
    private volatile BundleContext bundle;

    @Activate
    void activate(BundleContext bundleContext) {
        this.bundle = bundleContext;
    }

    @Deactivate
    void deactivate() {
        this.bundle = null;
    }

    /**
     * At least one: without a chat engine there is no runner of kind {@code agent} at all, so
     * agent tasks (the reference's task files among them) wait for their runner, untouched,
     * instead of failing, and rewriting their files, at every due time.
     */
    @Reference(
            service = ChatEngine.class,
            cardinality = ReferenceCardinality.AT_LEAST_ONE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeEngine")
    void addEngine(ChatEngine engine, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        engines.add(new Entry(
                engine,
                ranking instanceof Integer ? (Integer) ranking : 0,
                id instanceof Long ? (Long) id : Long.MAX_VALUE));
    }

    void removeEngine(ChatEngine engine) {
        engines.removeIf(e -> e.engine() == engine);
    }

    @Override
    public void validate(Map<String, Object> runnerConfig) {
        Object engine = runnerConfig.get("engine");
        if (engine != null
                && (!(engine instanceof String)
                        || !EngineSettings.NAME.matcher((String) engine).matches())) {
            throw new HeartbeatTaskValidationException(
                    "runnerConfig.engine",
                    "Field 'runnerConfig.engine' must be "
                            + "the name of a chat engine (1-64 letters, digits, '.', '_' or '-'), or left out for the "
                            + "highest-ranked engine.");
        }
    }

    /** The engine of that name (the highest-ranked one if several), or the highest-ranked of all. */
    Optional<ChatEngine> engine(String name) {
        return engines.stream()
                .filter(e -> name == null || name.equals(e.engine().name()))
                .sorted(Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId))
                .map(Entry::engine)
                .findFirst();
    }

    @Override
    public HeartbeatRunResult run(HeartbeatRunContext context) throws HeartbeatRunException, InterruptedException {
        try {
            validate(context.runnerConfig());
        } catch (HeartbeatTaskValidationException e) {
            throw new HeartbeatRunException("invalid runnerConfig: " + e.getMessage());
        }
        String wanted = (String) context.runnerConfig().get("engine");
        ChatEngine engine = engine(wanted)
                .orElseThrow(() -> new HeartbeatRunException(
                        wanted == null
                                ? "no chat engine is configured, so the agent task cannot run: configure one (see docs/chat.md)."
                                : "no chat engine named '" + wanted + "' is configured (configured: " + names()
                                        + "): configure it " + "(see docs/chat.md) or change runnerConfig.engine."));
        Optional<String> problem = engine.problem();
        if (problem.isPresent()) {
            throw new HeartbeatRunException(
                    "the chat engine '" + engine.name() + "' is not usable: " + problem.get(),
                    engineDetails(engine),
                    null);
        }
        HeartbeatTask task = context.task();
        String prompt = prompt(task, history(context));
        StringBuilder output = new StringBuilder();
        long[] total = {0};
        ChatReplyStream stream = new ChatReplyStream() {
            @Override
            public synchronized void chunk(String text) {
                if (text == null) {
                    return;
                }
                total[0] += text.length();
                if (output.length() < OUTPUT_LIMIT) {
                    output.append(text, 0, Math.min(text.length(), OUTPUT_LIMIT - output.length()));
                }
            }

            @Override
            public boolean cancelled() {
                return context.cancelled();
            }
        };
        context.progress("asking " + engine.name());
        Instant now = Instant.now();
        ChatConversation conversation = new ChatConversation(
                "task-" + task.id(),
                displayName(task),
                context.workspaceRoot(),
                List.of(new ChatMessage(ChatRole.USER, prompt, now)));
        try {
            engine.reply(conversation, stream);
        } catch (ChatEngineException e) {
            if (context.cancelled() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the run was cancelled: " + e.getMessage());
            }
            Map<String, Object> details = details(engine, output, total[0]);
            throw new HeartbeatRunException(
                    "the chat engine '" + engine.name() + "' failed: " + e.getMessage(), details, null);
        } catch (RuntimeException e) {
            LOG.warn("Chat engine {} failed on task {}", engine.name(), task.id(), e);
            throw new HeartbeatRunException(
                    "the chat engine '" + engine.name() + "' failed unexpectedly: " + e,
                    details(engine, output, total[0]),
                    e);
        }
        String reply;
        synchronized (stream) {
            reply = output.toString();
        }
        Map<String, Object> details = details(engine, output, total[0]);
        Optional<AgentDecisionLine.Decision> decision = AgentDecisionLine.parse(reply);
        if (decision.isEmpty()) {
            throw new HeartbeatRunException(
                    "the model's reply does not end with a decision line ("
                            + AgentDecisionLine.FORMAT
                            + "), so Heddle cannot tell whether the task should go on; the reply "
                            + "is in details.output. Make the instruction ask for that line, or use another model.",
                    details,
                    null);
        }
        details.put("reason", decision.get().reason());
        String summary = decision.get().decision().wireName()
                + (decision.get().reason().isEmpty()
                        ? ""
                        : ": " + decision.get().reason());
        return new HeartbeatRunResult(
                decision.get().decision(),
                summary.length() > 300 ? summary.substring(0, 300) + "..." : summary,
                details);
    }

    private String names() {
        String names = engines.stream().map(e -> e.engine().name()).sorted().collect(Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }

    private static Map<String, Object> engineDetails(ChatEngine engine) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", engine.name());
        details.put("protocol", engine.protocol());
        details.put("model", engine.model().orElse(null));
        return details;
    }

    private static Map<String, Object> details(ChatEngine engine, StringBuilder output, long total) {
        Map<String, Object> details = engineDetails(engine);
        synchronized (output) {
            details.put("output", output.toString());
        }
        details.put("outputChars", total);
        details.put("outputTruncated", total > OUTPUT_LIMIT);
        return details;
    }

    private static String displayName(HeartbeatTask task) {
        return task.name() == null || task.name().isBlank() ? task.id() : task.name();
    }

    /** A few lines on the latest finished runs, newest first; empty when there are none (or no task service). */
    private List<String> history(HeartbeatRunContext context) {
        BundleContext bundleContext = bundle;
        ServiceReference<HeartbeatTasks> reference = null;
        try {
            reference = bundleContext == null ? null : bundleContext.getServiceReference(HeartbeatTasks.class);
            HeartbeatTasks service = reference == null ? null : bundleContext.getService(reference);
            return service == null ? List.of() : history(context, service);
        } catch (IllegalStateException stopping) {
            return List.of();
        } finally {
            if (reference != null) {
                try {
                    bundleContext.ungetService(reference);
                } catch (IllegalStateException stopping) {
                    // the bundle is stopping
                }
            }
        }
    }

    private List<String> history(HeartbeatRunContext context, HeartbeatTasks service) {
        Instant now = Instant.now();
        WorkspaceDescriptor workspace = new WorkspaceDescriptor(
                context.workspaceId(),
                context.workspaceId(),
                context.workspaceRoot().toString(),
                List.of(),
                context.stateRoot().toString(),
                now,
                now);
        List<HeartbeatRun> runs;
        try {
            runs = service.runs(workspace, context.task().id());
        } catch (RuntimeException e) {
            LOG.debug("No run history for task {}: {}", context.task().id(), e.toString());
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (HeartbeatRun run : runs) {
            if (run.id().equals(context.runId()) || run.finishedAt() == null) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            line.append(format(run.startedAt() == null ? run.finishedAt() : run.startedAt()))
                    .append(' ')
                    .append(run.status().wireName());
            if (run.decision() != null) {
                line.append(", decided ").append(run.decision().wireName());
            }
            String said = run.summary() != null ? run.summary() : run.error();
            if (said != null && !said.isBlank()) {
                line.append(": ").append(ModelProtocol.oneLine(said));
            }
            String text = line.length() > HISTORY_LINE_CHARS
                    ? line.substring(0, HISTORY_LINE_CHARS) + "..."
                    : line.toString();
            lines.add(text);
            if (lines.size() == HISTORY_RUNS) {
                break;
            }
        }
        return lines;
    }

    /** What the model is asked. */
    static String prompt(HeartbeatTask task, List<String> history) {
        StringBuilder p = new StringBuilder();
        p.append("You are running a recurring task for Heddle, a local control plane. It runs this task on a ")
                .append("schedule and acts on the decision you end your answer with.\n\n");
        p.append("Task: ")
                .append(displayName(task))
                .append(" (id ")
                .append(task.id())
                .append(")\n");
        p.append("Instruction:\n").append(task.task().strip()).append("\n\n");
        if (history.isEmpty()) {
            p.append("Previous runs: none; this is the first run.\n\n");
        } else {
            p.append("Previous runs (newest first):\n");
            history.forEach(h -> p.append("- ").append(h).append('\n'));
            p.append('\n');
        }
        p.append("Do the task now and report briefly. End your answer with one last line of exactly this form:\n")
                .append(AgentDecisionLine.FORMAT)
                .append('\n')
                .append("continue = run again at the next interval; pause = wait until someone resumes the task; ")
                .append("complete = the task is done and should not run again; escalate = a person must look at ")
                .append("this now.\n");
        return p.toString();
    }
}
