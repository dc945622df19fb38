package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** The parts of the API commands that need no server: values, choices, the log's tail, the event filter. */
class ApiCommandsTest {

    @TempDir
    Path temp;

    @Test
    void durationsNeedAUnitAndFormatInTheLargestUnitThatDividesThem() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("500ms")).isEqualTo(500L);
        assertThat(converter.convert("30s")).isEqualTo(30_000L);
        assertThat(converter.convert("5m")).isEqualTo(300_000L);
        assertThat(converter.convert("2h")).isEqualTo(7_200_000L);
        assertThat(converter.convert("1d")).isEqualTo(86_400_000L);
        for (String bad : new String[] {"5", "", "5 m", "-5m", "5min", "m", "1.5h"}) {
            assertThatThrownBy(() -> converter.convert(bad))
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("is not a duration");
        }
        assertThat(DurationConverter.format(300_000L)).isEqualTo("5m");
        assertThat(DurationConverter.format(90_000L)).isEqualTo("90s");
        assertThat(DurationConverter.format(1_500L)).isEqualTo("1500ms");
        assertThat(DurationConverter.format(null)).isEqualTo("-");
    }

    @Test
    void countsAreWholeNumbersFromOne() {
        CountConverter converter = new CountConverter();
        assertThat(converter.convert("1")).isEqualTo(1);
        assertThat(converter.convert("100000")).isEqualTo(100_000);
        for (String bad : new String[] {"0", "-1", "abc", "100001", " 5", ""}) {
            assertThatThrownBy(() -> converter.convert(bad)).isInstanceOf(TypeConversionException.class);
        }
    }

    @Test
    void theDefaultWorkspaceIsTheDeepestThatContainsTheFolder() throws IOException {
        Path outer = Files.createDirectories(temp.resolve("repo"));
        Path inner = Files.createDirectories(outer.resolve("sub"));
        Path deeper = Files.createDirectories(inner.resolve("src/main"));
        List<Map<String, Object>> catalog = List.of(
                Map.of("id", "ws-outer", "name", "repo", "workspaceRoot", outer.toString()),
                Map.of("id", "ws-inner", "name", "sub", "workspaceRoot", inner.toString()),
                Map.of(
                        "id",
                        "ws-other",
                        "name",
                        "sub",
                        "workspaceRoot",
                        temp.resolve("elsewhere").toString()));
        assertThat(Workspaces.containing(catalog, Workspaces.canonical(deeper))).containsEntry("id", "ws-inner");
        assertThat(Workspaces.containing(catalog, Workspaces.canonical(outer))).containsEntry("id", "ws-outer");
        assertThat(Workspaces.containing(catalog, Workspaces.canonical(temp))).isNull();

        assertThat(Workspaces.find(catalog, "ws-outer"))
                .get()
                .extracting(w -> w.get("id"))
                .isEqualTo("ws-outer");
        assertThat(Workspaces.find(catalog, "repo"))
                .get()
                .extracting(w -> w.get("id"))
                .isEqualTo("ws-outer");
        assertThat(Workspaces.find(catalog, "sub"))
                .as("a name two workspaces have names none")
                .isEmpty();
        assertThat(Workspaces.find(catalog, inner.toString() + "/"))
                .get()
                .extracting(w -> w.get("id"))
                .isEqualTo("ws-inner");
    }

    @Test
    void theTailOfALogIsItsLastLinesWithoutReadingItWhole() throws IOException {
        Path log = temp.resolve("server.log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text, StandardCharsets.UTF_8);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            assertThat(LogsCommand.tail(file, 3)).containsExactly("line 4998", "line 4999", "line 5000");
            assertThat(LogsCommand.tail(file, 1)).containsExactly("line 5000");
            assertThat(LogsCommand.tail(file, 5000)).hasSize(5000).startsWith("line 1");
            assertThat(LogsCommand.tail(file, 9000)).hasSize(5000);
        }
        Files.writeString(log, "no newline at the end", StandardCharsets.UTF_8);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            assertThat(LogsCommand.tail(file, 2)).containsExactly("no newline at the end");
        }
        Files.writeString(log, "", StandardCharsets.UTF_8);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            assertThat(LogsCommand.tail(file, 2)).isEmpty();
        }
    }

    @Test
    void theTopicFilterMatchesNamesAndTopicsByWholeSegments() {
        assertThat(EventsCommand.wanted(List.of(), "anything", "io/heddle/x")).isTrue();
        List<String> heartbeat = List.of("heartbeat.task");
        assertThat(EventsCommand.wanted(heartbeat, "heartbeat.task.finished", "io/heddle/heartbeat/task/FINISHED"))
                .isTrue();
        assertThat(EventsCommand.wanted(heartbeat, "heartbeat.taskish", "io/heddle/heartbeat/taskish"))
                .isFalse();
        assertThat(EventsCommand.wanted(
                        List.of("io/heddle/extensions"), "extensions.installed", "io/heddle/extensions/INSTALLED"))
                .isTrue();
        assertThat(EventsCommand.wanted(List.of("chat.*"), "chat.reply_chunk", "io/heddle/chat/REPLY_CHUNK"))
                .isTrue();
        assertThat(EventsCommand.wanted(List.of("chat.*"), "heartbeat.task.due", "io/heddle/heartbeat/task/DUE"))
                .isFalse();
    }

    @Test
    void apiCommandsCheckTheirArgumentsBeforeLookingForAServer() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        int code = HeddleCommand.run(new String[] {"task", "edit", "t"}, terminal);
        assertThat(code).isEqualTo(Heddle.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""))
                .startsWith("heddle task edit: Nothing to change.");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
