package io.heddle.chat.internal;

import static io.heddle.storage.internal.JsonFields.format;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatReplyStream;
import io.heddle.api.chat.ChatRole;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The built-in {@code command} engine: runs a configured local program (argv, no shell) in the
 * workspace, pipes the conversation to its standard input, and streams its standard output
 * back as the reply, chunk by chunk as the program writes it. It lets a user wire in any local
 * model command-line tool. Present only while {@value #PID} is configured.
 *
 * <p>The program is killed, with its child processes, when {@code timeoutMs} runs out or the
 * reply is cancelled. A non-zero exit, a timeout or a program that cannot start is reported
 * with the last lines of its standard error; the output so far is kept.
 */
@Component(
        service = ChatEngine.class,
        configurationPid = CommandChatEngine.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = ChatEngine.ENGINE_PROPERTY + "=command")
@Designate(ocd = CommandChatEngine.Configuration.class)
public final class CommandChatEngine implements ChatEngine {

    static final String PID = "io.heddle.chat.engine.command";
    private static final int STDERR_TAIL_CHARS = 2000;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration DRAIN = Duration.ofSeconds(2);

    /** What the program reads on its standard input. */
    enum Input {
        /** Every message as {@code role: text} lines, oldest first. */
        TRANSCRIPT,
        /** Only the text of the new user message (for tools that take one prompt). */
        LAST_MESSAGE,
        /** One JSON object: {@code {"sessionId","sessionName","messages":[{"role","text","at"}]}}. */
        JSON;

        static Optional<Input> parse(String value) {
            String v =
                    value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Input input : values()) {
                if (input.name().equals(v)) {
                    return Optional.of(input);
                }
            }
            return Optional.empty();
        }
    }

    @ObjectClassDefinition(
            name = "Heddle command chat engine",
            description = "Runs a local program for every chat reply and streams its standard output back.")
    @interface Configuration {
        @AttributeDefinition(
                description = "The program and its arguments, run without a shell. In a .cfg file "
                        + "write a JSON list, e.g. argv=[\"ollama\",\"run\",\"llama3.2\"].")
        String[] argv() default {};

        @AttributeDefinition(description = "How long one reply may take, in milliseconds; then the program is killed.")
        long timeoutMs() default 120_000L;

        @AttributeDefinition(
                description = "What the program reads on standard input: transcript, last-message or json.")
        String input() default "transcript";
    }

    private final List<String> argv;
    private final Duration timeout;
    private final Input input;
    private final String problem;

    @Activate
    public CommandChatEngine(Configuration config) {
        List<String> parsed;
        String trouble = null;
        try {
            parsed = parseArgv(config.argv());
        } catch (IllegalArgumentException e) {
            parsed = List.of();
            trouble = e.getMessage();
        }
        Optional<Input> in = Input.parse(config.input());
        if (trouble == null && parsed.isEmpty()) {
            trouble = "no program is configured: set argv in " + PID + ", e.g. argv=[\"ollama\",\"run\",\"llama3.2\"].";
        }
        if (trouble == null && in.isEmpty()) {
            trouble = "input must be transcript, last-message or json, not '" + config.input() + "' (" + PID + ").";
        }
        this.argv = parsed;
        this.timeout = Duration.ofMillis(config.timeoutMs() > 0 ? config.timeoutMs() : 120_000L);
        this.input = in.orElse(Input.TRANSCRIPT);
        this.problem = trouble;
    }

    CommandChatEngine(List<String> argv, Duration timeout, Input input) {
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
        this.input = input;
        this.problem = argv.isEmpty() ? "no program is configured" : null;
    }

    /**
     * The configured argv: a list of strings, or (as a {@code .cfg} file can only hold one
     * string) one string that is a JSON list of strings.
     */
    static List<String> parseArgv(String[] raw) {
        if (raw == null || raw.length == 0) {
            return List.of();
        }
        if (raw.length == 1 && raw[0].trim().startsWith("[")) {
            Object parsed;
            try {
                parsed = JsonTree.parse(raw[0].trim().getBytes(StandardCharsets.UTF_8));
            } catch (JsonTree.MalformedJsonException e) {
                throw new IllegalArgumentException("argv in " + PID + " is not a valid JSON list: " + e.getMessage());
            }
            List<Object> list = JsonFields.array(parsed);
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String)) {
                    throw new IllegalArgumentException("argv in " + PID + " must be a list of strings.");
                }
                out.add((String) o);
            }
            return validated(out);
        }
        return validated(List.of(raw));
    }

    private static List<String> validated(List<String> argv) {
        if (!argv.isEmpty() && argv.get(0).isBlank()) {
            throw new IllegalArgumentException("argv in " + PID + " starts with an empty program name.");
        }
        return List.copyOf(argv);
    }

    @Override
    public String name() {
        return "command";
    }

    @Override
    public String protocol() {
        return "command";
    }

    @Override
    public Optional<String> model() {
        return argv.isEmpty() ? Optional.empty() : Optional.of(argv.get(0));
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public void reply(ChatConversation conversation, ChatReplyStream reply) throws ChatEngineException {
        if (problem != null) {
            throw new ChatEngineException(problem);
        }
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (Files.isDirectory(conversation.workspaceRoot())) {
            builder.directory(conversation.workspaceRoot().toFile());
        }
        builder.environment().put("HEDDLE_CHAT_SESSION_ID", conversation.sessionId());
        builder.environment()
                .put("HEDDLE_WORKSPACE_ROOT", conversation.workspaceRoot().toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ChatEngineException(
                    "could not start " + argv.get(0) + ": " + e.getMessage() + ". Check argv in " + PID + ".", e);
        }
        byte[] stdin = input(conversation);
        Thread writer = daemon("heddle-chat-command-stdin", () -> {
            try (OutputStream out = process.getOutputStream()) {
                out.write(stdin);
            } catch (IOException programDidNotRead) {
                // a program may answer without reading all of its input
            }
        });
        StringBuilder stderr = new StringBuilder();
        Thread errors = daemon("heddle-chat-command-stderr", () -> drain(process.getErrorStream(), stderr));
        Thread output = daemon("heddle-chat-command-stdout", () -> pump(process.getInputStream(), reply));
        writer.start();
        errors.start();
        output.start();

        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!process.waitFor(
                    Math.min(POLL.toNanos(), Math.max(1, deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
                if (reply.cancelled()) {
                    kill(process, output);
                    throw new ChatEngineException(
                            "the reply was cancelled; the program and the processes it started " + "were stopped.");
                }
                if (System.nanoTime() - deadline >= 0) {
                    kill(process, output);
                    throw new ChatEngineException("the program did not finish within " + timeout.toMillis()
                            + " ms and was stopped (timeoutMs in " + PID + ")." + tail(stderr, errors));
                }
            }
            // The program ended; its output may still be in the pipe.
            output.join(Math.max(DRAIN.toMillis(), TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (output.isAlive()) {
                kill(process, output);
                throw new ChatEngineException(
                        "the program exited but something it started kept its output open; " + "stopped it.");
            }
        } catch (InterruptedException e) {
            kill(process, output);
            Thread.currentThread().interrupt();
            throw new ChatEngineException("interrupted while waiting for the program.", e);
        }
        int exit = process.exitValue();
        if (exit != 0) {
            throw new ChatEngineException(argv.get(0) + " exited with code " + exit + "." + tail(stderr, errors));
        }
    }

    private byte[] input(ChatConversation conversation) {
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatMessage m : conversation.messages()) {
            if (m.role() != ChatRole.SYSTEM) {
                messages.add(m);
            }
        }
        String text;
        switch (input) {
            case LAST_MESSAGE:
                text = messages.isEmpty()
                        ? ""
                        : messages.get(messages.size() - 1).text() + "\n";
                break;
            case JSON: {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("sessionId", conversation.sessionId());
                root.put("sessionName", conversation.sessionName());
                List<Object> list = new ArrayList<>();
                for (ChatMessage m : messages) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("role", m.role().wireName());
                    e.put("text", m.text());
                    e.put("at", format(m.at()));
                    list.add(e);
                }
                root.put("messages", list);
                text = JsonTree.writeCompact(root) + "\n";
                break;
            }
            case TRANSCRIPT:
            default: {
                StringBuilder b = new StringBuilder();
                for (ChatMessage m : messages) {
                    b.append(m.role().wireName()).append(": ").append(m.text()).append('\n');
                }
                text = b.toString();
                break;
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Streams standard output as it arrives; a read returns whatever the program has flushed. */
    private static void pump(InputStream stdout, ChatReplyStream reply) {
        char[] buffer = new char[4096];
        try (Reader in = new InputStreamReader(stdout, StandardCharsets.UTF_8)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    reply.chunk(new String(buffer, 0, n));
                }
            }
        } catch (IOException closed) {
            // the program was killed; what arrived so far is kept
        }
    }

    private static void drain(InputStream stderr, StringBuilder tail) {
        char[] buffer = new char[1024];
        try (Reader in = new InputStreamReader(stderr, StandardCharsets.UTF_8)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (tail) {
                    tail.append(buffer, 0, n);
                    if (tail.length() > 2 * STDERR_TAIL_CHARS) {
                        tail.delete(0, tail.length() - STDERR_TAIL_CHARS);
                    }
                }
            }
        } catch (IOException closed) {
            // killed
        }
    }

    private static String tail(StringBuilder stderr, Thread errors) {
        try {
            errors.join(DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text;
        synchronized (stderr) {
            text = stderr.length() > STDERR_TAIL_CHARS
                    ? stderr.substring(stderr.length() - STDERR_TAIL_CHARS)
                    : stderr.toString();
        }
        text = text.strip();
        return text.isEmpty() ? "" : " Its error output ends with: " + text;
    }

    /** Kills the program and everything it started, then gives its output a moment to drain. */
    private static void kill(Process process, Thread output) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            output.join(DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }
}
