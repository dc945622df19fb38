package io.heddle.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heddle logs}: the live server's log ({@code <state>/logs/server.log}), its end, and with -f what follows. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        description = {
            "Prints the end of the running server's log (<its workspace state folder>/logs/server.log);"
                    + " with -f, also what it writes next, until Ctrl-C."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failure (the log cannot be read, the server did not answer)",
            "2:usage error",
            "3:no server is running"
        })
final class LogsCommand extends ApiCommand {

    private static final long FOLLOW_POLL_MILLIS = 250;

    @Option(
            names = {"-n", "--lines"},
            paramLabel = "N",
            defaultValue = "50",
            converter = CountConverter.class,
            description = "How many lines from the end (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing what the server logs, until Ctrl-C.")
    boolean follow;

    LogsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int run(ApiClient api) {
        Object stateRoot = api.get("/api/runtime-host").get("stateRoot");
        if (!(stateRoot instanceof String)) {
            throw CommandFailure.runtime("The server at " + api.server().endpointUrl() + " did not say its state"
                    + " folder. Run again with HEDDLE_DEBUG=1, and report it.");
        }
        Path log = Path.of((String) stateRoot).resolve("logs").resolve("server.log");
        long position;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            position = file.length();
            List<String> tail = tail(file, lines);
            if (json) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("file", log.toString());
                answer.put("lines", new ArrayList<Object>(tail));
                printJson(answer);
            } else {
                tail.forEach(terminal::line);
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw CommandFailure.runtime(
                    "The server's log " + log + " does not exist (yet). Check that the server"
                            + " can write its state folder.",
                    e);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "Cannot read the server's log " + log + " (" + io.heddle.storage.internal.IoFailures.reason(e)
                            + "). Run heddle as the user who started it.",
                    e);
        }
        if (follow) {
            follow(log, position);
        }
        return Heddle.OK;
    }

    /** The last {@code n} lines, read backwards from the end in blocks (a large log is not read whole). */
    static List<String> tail(RandomAccessFile file, int n) throws IOException {
        long end = file.length();
        long start = end;
        int newlines = 0;
        byte[] block = new byte[8192];
        while (start > 0 && newlines <= n) {
            int size = (int) Math.min(block.length, start);
            start -= size;
            file.seek(start);
            file.readFully(block, 0, size);
            for (int i = size - 1; i >= 0; i--) {
                if (block[i] == '\n' && !(start + i == end - 1)) {
                    newlines++;
                    if (newlines == n) {
                        start += i + 1;
                        break;
                    }
                }
            }
            if (newlines == n) {
                break;
            }
        }
        byte[] bytes = new byte[(int) (end - start)];
        file.seek(start);
        file.readFully(bytes);
        Deque<String> result = new ArrayDeque<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String line : text.split("\n", -1)) {
            result.add(line);
        }
        if (!result.isEmpty() && result.peekLast().isEmpty()) {
            result.removeLast();
        }
        while (result.size() > n) {
            result.removeFirst();
        }
        return new ArrayList<>(result);
    }

    /** Prints what is appended from {@code position} on; starts over when the log was rotated or cut. */
    private void follow(Path log, long position) {
        StringBuilder partial = new StringBuilder();
        Object key = fileKey(log);
        while (true) {
            try {
                Object nowKey = fileKey(log);
                long size = Files.size(log);
                if (size < position || (nowKey != null && !nowKey.equals(key))) {
                    position = 0;
                    key = nowKey;
                }
                if (size > position) {
                    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                        file.seek(position);
                        byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
                        file.readFully(bytes);
                        position += bytes.length;
                        partial.append(new String(bytes, StandardCharsets.UTF_8));
                    }
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        terminal.line(
                                json ? io.heddle.storage.internal.JsonTree.writeCompact(Map.of("line", line)) : line);
                    }
                }
            } catch (IOException e) {
                // rotated away for a moment: try again at the next tick
            }
            try {
                Thread.sleep(FOLLOW_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Object fileKey(Path log) {
        try {
            return Files.readAttributes(log, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
