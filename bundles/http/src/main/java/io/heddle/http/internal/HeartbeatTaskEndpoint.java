package io.heddle.http.internal;

import static io.heddle.storage.internal.JsonFields.object;

import io.heddle.api.heartbeat.ContinuationMode;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskConflictException;
import io.heddle.api.heartbeat.HeartbeatTaskPatch;
import io.heddle.api.heartbeat.HeartbeatTaskSpec;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import io.heddle.api.heartbeat.HeartbeatTasks;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.jsonhttp.internal.HttpProblem;
import io.heddle.records.internal.RecordJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The heartbeat task calls under {@code /api/workspaces/{id}/heartbeat/}, routed here by
 * {@link WorkspacesServlet} (servlet patterns cannot hold a wildcard in the middle):
 * <pre>
 * GET|POST          tasks
 * GET|PATCH|DELETE  tasks/{taskId}
 * POST              tasks/{taskId}/run      run now
 * POST              tasks/{taskId}/resume   explicit resume
 * GET               tasks/{taskId}/runs     history, newest first
 * GET               tasks/{taskId}/runs/{runId}
 * </pre>
 * Bodies are checked here, where they are parsed; a bad field is a 400 that names it.
 */
final class HeartbeatTaskEndpoint {

    private static final Set<String> CREATE_FIELDS =
            Set.of("name", "task", "enabled", "continuationMode", "schedule", "runner", "runnerConfig");

    private HeartbeatTaskEndpoint() {}

    /** @param path the segments after {@code heartbeat}, e.g. {@code [tasks, task-1, runs]} */
    static Object handle(
            HeartbeatTasks tasks,
            WorkspaceDescriptor workspace,
            String method,
            List<String> path,
            HttpServletRequest request,
            HttpServletResponse response)
            throws HttpProblem, IOException {
        try {
            return route(tasks, workspace, method, path, request, response);
        } catch (HeartbeatTaskValidationException e) {
            throw HttpProblem.invalidField(e.field(), e.getMessage());
        } catch (HeartbeatTaskConflictException e) {
            throw HttpProblem.conflict(e.getMessage());
        } catch (NoSuchElementException e) {
            throw HttpProblem.notFound(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new HttpProblem(
                    503,
                    "storage_unavailable",
                    "The heartbeat files of workspace " + workspace.id() + " cannot be used right now: "
                            + e.getMessage());
        }
    }

    private static Object route(
            HeartbeatTasks tasks,
            WorkspaceDescriptor ws,
            String method,
            List<String> path,
            HttpServletRequest request,
            HttpServletResponse response)
            throws HttpProblem, IOException {
        if (path.size() == 1 && path.get(0).equals("export")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw HttpProblem.methodNotAllowed(method, "GET");
            }
            return tasks.exportTasks(ws, filesParameter(request, "from"));
        }
        if (path.size() == 1 && path.get(0).equals("import")) {
            if (!method.equals("POST")) {
                throw HttpProblem.methodNotAllowed(method, "POST");
            }
            boolean toFiles = filesParameter(request, "to");
            String rename = request.getParameter("rename");
            if (rename != null && !rename.equals("true") && !rename.equals("false")) {
                throw HttpProblem.invalidField("rename", "must be true or false");
            }
            Map<String, String> stored =
                    tasks.importTasks(ws, JsonApiServlet.readObject(request), toFiles, "true".equals(rename));
            List<Object> imported = new ArrayList<>();
            stored.forEach((from, id) -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("from", from);
                one.put("id", id);
                imported.add(one);
            });
            return Map.of("imported", imported);
        }
        if (path.isEmpty() || !path.get(0).equals("tasks")) {
            throw HttpProblem.notFound("No such heartbeat resource: " + request.getRequestURI());
        }
        if (path.size() == 1) {
            switch (method) {
                case "GET":
                case "HEAD":
                    List<Object> list = new ArrayList<>();
                    tasks.list(ws).forEach(t -> list.add(RecordJson.task(t)));
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("tasks", list);
                    answer.put("store", tasks.store().kind());
                    answer.put("fileTasksWaiting", tasks.fileTasksWaiting(ws));
                    return answer;
                case "POST":
                    HeartbeatTask created = tasks.create(ws, spec(JsonApiServlet.readObject(request)));
                    response.setStatus(201);
                    response.setHeader("Location", request.getRequestURI().replaceAll("/+$", "") + "/" + created.id());
                    return RecordJson.task(created);
                default:
                    throw HttpProblem.methodNotAllowed(method, "GET or POST");
            }
        }
        String taskId = path.get(1);
        if (taskId.isEmpty()) {
            throw HttpProblem.notFound("No such heartbeat resource: " + request.getRequestURI());
        }
        if (path.size() == 2) {
            switch (method) {
                case "GET":
                case "HEAD":
                    return RecordJson.task(tasks.get(ws, taskId).orElseThrow(() -> unknownTask(taskId)));
                case "PATCH":
                    return RecordJson.task(tasks.update(ws, taskId, patch(JsonApiServlet.readObject(request))));
                case "DELETE":
                    tasks.delete(ws, taskId);
                    Map<String, Object> deleted = new LinkedHashMap<>();
                    deleted.put("id", taskId);
                    deleted.put("deleted", true);
                    return deleted;
                default:
                    throw HttpProblem.methodNotAllowed(method, "GET, PATCH or DELETE");
            }
        }
        String action = path.get(2);
        if (path.size() == 3 && (action.equals("run") || action.equals("resume"))) {
            if (!method.equals("POST")) {
                throw HttpProblem.methodNotAllowed(method, "POST");
            }
            if (action.equals("run")) {
                response.setStatus(202);
                return RecordJson.task(tasks.runNow(ws, taskId));
            }
            return RecordJson.task(tasks.resume(ws, taskId));
        }
        if (action.equals("runs") && path.size() <= 4) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw HttpProblem.methodNotAllowed(method, "GET");
            }
            if (path.size() == 3) {
                List<Object> runs = new ArrayList<>();
                for (HeartbeatRun r : tasks.runs(ws, taskId)) {
                    runs.add(RecordJson.run(r));
                }
                return Map.of("runs", runs);
            }
            String runId = path.get(3);
            return RecordJson.run(tasks.run(ws, taskId, runId)
                    .orElseThrow(() -> HttpProblem.notFound("No run " + runId + " of heartbeat task " + taskId + ".")));
        }
        throw HttpProblem.notFound("No such heartbeat resource: " + request.getRequestURI());
    }

    private static HttpProblem unknownTask(String taskId) {
        return HttpProblem.notFound("No heartbeat task with id " + taskId + ".");
    }

    // --- bodies ---

    static HeartbeatTaskSpec spec(Map<String, Object> body) throws HttpProblem {
        rejectUnknown(body);
        String task = optionalString(body, "task");
        if (task == null || task.isBlank()) {
            throw HttpProblem.invalidField(
                    "task", "Field 'task' is required: a non-empty string that says what " + "the task is for.");
        }
        String runner = optionalString(body, "runner");
        if (runner == null || runner.isBlank()) {
            throw HttpProblem.invalidField("runner", "Field 'runner' is required: the runner kind, e.g. \"command\".");
        }
        Long interval = interval(body);
        if (interval == null) {
            throw HttpProblem.invalidField(
                    "schedule", "Field 'schedule' is required: {\"intervalMs\": <milliseconds>}.");
        }
        Boolean enabled = optionalBoolean(body, "enabled");
        Map<String, Object> config = runnerConfig(body);
        return new HeartbeatTaskSpec(
                optionalString(body, "name"),
                task,
                enabled == null || enabled,
                continuationMode(body),
                interval,
                runner,
                config == null ? Map.of() : config);
    }

    static HeartbeatTaskPatch patch(Map<String, Object> body) throws HttpProblem {
        rejectUnknown(body);
        String task = optionalString(body, "task");
        if (body.containsKey("task") && (task == null || task.isBlank())) {
            throw HttpProblem.invalidField("task", "Field 'task' must be a non-empty string.");
        }
        String runner = optionalString(body, "runner");
        if (body.containsKey("runner") && (runner == null || runner.isBlank())) {
            throw HttpProblem.invalidField("runner", "Field 'runner' must name a runner kind, e.g. \"command\".");
        }
        if (body.containsKey("enabled") && body.get("enabled") == null) {
            throw HttpProblem.invalidField("enabled", "Field 'enabled' must be true or false.");
        }
        // "name": null (or "") clears the name
        String name = body.containsKey("name")
                ? java.util.Objects.requireNonNullElse(optionalString(body, "name"), "")
                : null;
        HeartbeatTaskPatch patch = new HeartbeatTaskPatch(
                name,
                task,
                optionalBoolean(body, "enabled"),
                continuationMode(body),
                interval(body),
                runner,
                runnerConfig(body));
        if (patch.isEmpty()) {
            throw HttpProblem.badRequest("The body changes nothing: send one or more of name, task, enabled, "
                    + "continuationMode, schedule, runner, runnerConfig.");
        }
        return patch;
    }

    private static void rejectUnknown(Map<String, Object> body) throws HttpProblem {
        for (String key : body.keySet()) {
            if (!CREATE_FIELDS.contains(key)) {
                throw HttpProblem.invalidField(
                        key,
                        "Field '" + key + "' is not part of a task you can set; use "
                                + "name, task, enabled, continuationMode, schedule, runner, runnerConfig.");
            }
        }
    }

    private static String optionalString(Map<String, Object> body, String field) throws HttpProblem {
        Object v = body.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw HttpProblem.invalidField(field, "Field '" + field + "' must be a string.");
    }

    private static Boolean optionalBoolean(Map<String, Object> body, String field) throws HttpProblem {
        Object v = body.get(field);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw HttpProblem.invalidField(field, "Field '" + field + "' must be true or false.");
    }

    private static ContinuationMode continuationMode(Map<String, Object> body) throws HttpProblem {
        Object v = body.get("continuationMode");
        if (v == null) {
            return null;
        }
        return ContinuationMode.fromWireName(v instanceof String ? (String) v : null)
                .orElseThrow(() -> HttpProblem.invalidField(
                        "continuationMode", "Field 'continuationMode' must be \"operator\" or \"agent\"."));
    }

    private static Long interval(Map<String, Object> body) throws HttpProblem {
        if (!body.containsKey("schedule")) {
            return null;
        }
        Map<String, Object> schedule = object(body.get("schedule"));
        if (schedule == null) {
            throw HttpProblem.invalidField(
                    "schedule", "Field 'schedule' must be an object: {\"intervalMs\": <milliseconds>}.");
        }
        for (String key : schedule.keySet()) {
            if (!key.equals("intervalMs")) {
                throw HttpProblem.invalidField(
                        "schedule." + key,
                        "Field 'schedule." + key + "' cannot be set; "
                                + "a schedule is {\"intervalMs\": <milliseconds>}.");
            }
        }
        Long interval = io.heddle.storage.internal.JsonFields.integer(schedule, "intervalMs");
        if (interval == null) {
            throw HttpProblem.invalidField(
                    "schedule.intervalMs",
                    "Field 'schedule.intervalMs' is required: a whole " + "number of milliseconds.");
        }
        return interval;
    }

    private static Map<String, Object> runnerConfig(Map<String, Object> body) throws HttpProblem {
        if (!body.containsKey("runnerConfig")) {
            return null;
        }
        Map<String, Object> config = object(body.get("runnerConfig"));
        if (config == null) {
            throw HttpProblem.invalidField("runnerConfig", "Field 'runnerConfig' must be a JSON object.");
        }
        return config;
    }

    /** {@code from}/{@code to}: {@code store} (the default: the store in use) or {@code files} (the workspace's files). */
    private static boolean filesParameter(HttpServletRequest request, String name) throws HttpProblem {
        String value = request.getParameter(name);
        if (value == null || value.equals("store")) {
            return false;
        }
        if (value.equals("files")) {
            return true;
        }
        throw HttpProblem.invalidField(name, "must be store or files");
    }
}
