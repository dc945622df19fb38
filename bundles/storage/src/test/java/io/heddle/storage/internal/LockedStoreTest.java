package io.heddle.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockedStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-02T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<LockedStore.SetAside> setAside = new ArrayList<>();

    /** A counter file: {"count": n, ...}; members it does not know are written back as read. */
    private static final LockedJsonFile.Codec<Long> COUNTER = new LockedJsonFile.Codec<>() {
        @Override
        public Long decode(byte[] bytes) throws LockedStore.UnreadableContentException {
            try {
                Map<String, Object> root = JsonFields.object(JsonTree.parse(bytes));
                Long count = root == null ? null : JsonFields.integer(root, "count");
                if (count == null) {
                    throw new LockedStore.UnreadableContentException("no count");
                }
                return count;
            } catch (JsonTree.MalformedJsonException e) {
                throw new LockedStore.UnreadableContentException("not valid JSON", e);
            }
        }

        @Override
        public byte[] encode(Long value, byte[] previous) throws IOException {
            Map<String, Object> root = new LinkedHashMap<>();
            if (previous != null) {
                root.putAll(JsonFields.object(JsonTree.parse(previous)));
            }
            root.put("count", value);
            return JsonTree.write(root);
        }
    };

    private LockedStore store(Duration timeout) {
        return new LockedStore("the test store", dir.resolve("test.lock"), CLOCK, timeout, null);
    }

    private LockedJsonFile<Long> counter(LockedStore store) {
        return new LockedJsonFile<>(store, dir.resolve("counter.json"), COUNTER, 0L, setAside::add);
    }

    @Test
    void corruptFileIsSetAsideWithItsBytesAndReadsAsEmpty() throws IOException {
        Path file = Files.writeString(dir.resolve("counter.json"), "{\"count\": ");

        assertThat(counter(store(LockedStore.LOCK_TIMEOUT)).read()).isZero();

        Path aside = dir.resolve("counter.json.corrupt-20260602T000000.000Z");
        assertThat(file).doesNotExist();
        assertThat(aside).hasContent("{\"count\": ");
        assertThat(setAside).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo(file);
            assertThat(s.movedTo()).isEqualTo(aside);
            assertThat(s.problem()).isEqualTo("not valid JSON");
            assertThat(s.describe("the counter"))
                    .isEqualTo("the counter " + file + " was unreadable (not valid JSON);" + " moved it to " + aside);
        });
    }

    @Test
    void secondCorruptFileInTheSameMillisecondGetsItsOwnName() throws IOException {
        LockedJsonFile<Long> counter = counter(store(LockedStore.LOCK_TIMEOUT));
        Files.writeString(dir.resolve("counter.json"), "[]");
        counter.read();
        Files.writeString(dir.resolve("counter.json"), "{}");
        counter.read();

        assertThat(dir.resolve("counter.json.corrupt-20260602T000000.000Z")).hasContent("[]");
        assertThat(dir.resolve("counter.json.corrupt-20260602T000000.000Z-1")).hasContent("{}");
    }

    @Test
    void updateOfACorruptFileStartsFromEmptyAndKeepsTheOriginalAside() throws IOException {
        Files.writeString(dir.resolve("counter.json"), "garbage");

        long answer = counter(store(LockedStore.LOCK_TIMEOUT)).update(n -> LockedJsonFile.Change.write(n + 1, n + 1));

        assertThat(answer).isEqualTo(1);
        assertThat(counter(store(LockedStore.LOCK_TIMEOUT)).read()).isEqualTo(1);
        assertThat(dir.resolve("counter.json.corrupt-20260602T000000.000Z")).hasContent("garbage");
    }

    @Test
    void updateReplacesTheFileByRenameAndKeepsMembersItDoesNotKnow() throws IOException {
        Path file = Files.writeString(dir.resolve("counter.json"), "{\"count\": 41, \"note\": \"kept\"}");
        Object before = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        counter(store(LockedStore.LOCK_TIMEOUT)).update(n -> LockedJsonFile.Change.write(n + 1, null));

        Map<String, Object> written = JsonFields.object(JsonTree.parse(Files.readAllBytes(file)));
        assertThat(written).containsEntry("count", 42L).containsEntry("note", "kept");
        Object after = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        if (before != null) {
            assertThat(after).as("a new file was renamed over the old one").isNotEqualTo(before);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("counter.json", "test.lock");
        }
    }

    @Test
    void changeThatKeepsOrThrowsLeavesTheFileAsItWas() throws IOException {
        Path file = Files.writeString(dir.resolve("counter.json"), "{ \"count\" : 7 }");
        LockedJsonFile<Long> counter = counter(store(LockedStore.LOCK_TIMEOUT));

        String answer = counter.update(n -> LockedJsonFile.Change.keep("kept " + n));
        assertThat(answer).isEqualTo("kept 7");
        assertThatThrownBy(() -> counter.update(n -> {
                    throw new IllegalStateException("refused");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refused");

        assertThat(file).hasContent("{ \"count\" : 7 }");
    }

    @Test
    void lockTimeoutNamesTheStoreTheLockFileAndTheHolder() throws Exception {
        LockedStore store = store(Duration.ofMillis(100));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            try (LockedStore.Held lock = store.hold()) {
                held.countDown();
                done.await(20, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> counter(store).update(n -> LockedJsonFile.Change.write(n + 1, null)))
                    .isInstanceOf(LockedStore.StoreFileException.class)
                    .hasMessage("Cannot lock the test store: Timed out after 100 ms waiting for the lock "
                            + dir.resolve("test.lock") + " (held by another thread of this process (pid "
                            + ProcessHandle.current().pid() + ")). If that process is hung, stop it and try again.");
        } finally {
            done.countDown();
            holder.get(20, TimeUnit.SECONDS);
        }
        assertThat(dir.resolve("counter.json")).doesNotExist();
    }

    @Test
    void unreadableLockFolderIsReportedWithTheFixAndMarksTheStoreUnhealthy() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        StoreHealth health = new StoreHealth("test", CLOCK, Duration.ofHours(1), new StoreHealth.Listener() {
            @Override
            public void unwritable(StoreHealth.Problem problem) {}

            @Override
            public void writableAgain(StoreHealth.Problem resolved) {}
        });
        try (health) {
            LockedStore store = new LockedStore(
                    "the test store", notAFolder.resolve("test.lock"), CLOCK, LockedStore.LOCK_TIMEOUT, health);

            assertThatThrownBy(store::hold)
                    .isInstanceOf(LockedStore.StoreFileException.class)
                    .hasMessageStartingWith(
                            "Cannot lock the test store through " + notAFolder.resolve("test.lock") + ": ")
                    .hasMessageEndingWith(". Check that " + notAFolder + " is writable.");
            assertThat(health.healthy()).isFalse();
        }
    }

    @Test
    void writeFailureNamesTheFileAndTheFix() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path target = notAFolder.resolve("counter.json");

        assertThatThrownBy(() -> store(LockedStore.LOCK_TIMEOUT).replace(target, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(LockedStore.StoreFileException.class)
                .hasMessageStartingWith("Cannot write the test store " + target + ": ")
                .hasMessageEndingWith(". Check that " + notAFolder + " is writable and the disk is not full.");
    }
}
