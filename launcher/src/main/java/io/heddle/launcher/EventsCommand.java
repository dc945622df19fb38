package io.heddle.launcher;

import io.heddle.storage.internal.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heddle events}: the live server's event stream ({@code GET /api/events}), one line an event, until Ctrl-C. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        description = {
            "Prints the running server's events (GET /api/events) as they happen, one line each:"
                    + " the event name, then its properties as key=value; with --json, the event's JSON. Stops with Ctrl-C.",
            "Event names are the topic after io/heddle/ with dots, in lower case: heartbeat.task.finished,"
                    + " extensions.installed, workspaces.changed, chat.message_added, server.ownership_changed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "1:the server closed the stream (it stopped) or did not answer",
            "2:usage error",
            "3:no server is running"
        })
final class EventsCommand extends ApiCommand {

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "Only events whose name is T or starts with T. (e.g. heartbeat.task), or whose topic is T"
                    + " or starts with T/ (e.g. io/heddle/extensions); repeatable.")
    List<String> topics = new ArrayList<>();

    EventsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    void check() {
        for (String t : topics) {
            if (t.isBlank() || !t.matches("[A-Za-z0-9._/*-]+")) {
                throw usage("'" + t + "' is not an event name or topic. Give one such as heartbeat.task or"
                        + " io/heddle/extensions");
            }
        }
    }

    /** Whether event {@code name} (topic {@code topic}) passes the --topic filters. */
    static boolean wanted(List<String> topics, String name, String topic) {
        if (topics.isEmpty()) {
            return true;
        }
        for (String t : topics) {
            String prefix = t.endsWith("*") ? t.substring(0, t.length() - 1) : null;
            if (prefix != null
                    ? name.startsWith(prefix) || topic.startsWith(prefix)
                    : name.equals(t) || name.startsWith(t + ".") || topic.equals(t) || topic.startsWith(t + "/")) {
                return true;
            }
        }
        return false;
    }

    @Override
    int run(ApiClient api) {
        String[] event = {""};
        api.stream("/api/events", line -> {
            if (line.startsWith("event: ")) {
                event[0] = line.substring(7).trim();
            } else if (line.startsWith("data: ")) {
                print(event[0], line.substring(6));
            } else if (line.isEmpty()) {
                event[0] = "";
            }
            return true;
        });
        throw CommandFailure.runtime("The server at " + api.server().endpointUrl() + " closed the event stream (it"
                + " stopped?). Check it with 'heddle status'.");
    }

    private void print(String name, String data) {
        Map<String, Object> properties;
        try {
            properties = ApiClient.object(JsonTree.parse(data.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException notJson) {
            return;
        }
        if (!wanted(topics, name, ApiClient.text(properties, "topic", ""))) {
            return;
        }
        if (json) {
            terminal.line(JsonTree.writeCompact(properties));
            return;
        }
        StringBuilder text = new StringBuilder(name);
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            if (p.getKey().equals("topic")) {
                continue;
            }
            Object v = p.getValue();
            text.append(' ')
                    .append(p.getKey())
                    .append('=')
                    .append(v instanceof String || v == null ? String.valueOf(v) : JsonTree.writeCompact(v));
        }
        terminal.line(text.toString());
    }
}
