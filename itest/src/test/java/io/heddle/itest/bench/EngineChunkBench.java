package io.heddle.itest.bench;

import io.heddle.itest.TestSupport;
import io.heddle.itest.support.FakeModelProvider;
import io.heddle.itest.support.FakeModelProvider.Answer;
import io.heddle.itest.support.HeddleTestSupport;
import io.heddle.itest.support.Poll;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The model engine's overhead per streamed chunk, in a real container, outside the test suite
 * (run it with {@code bench/engine-chunks.sh}): an OpenAI-compatible engine streams replies from
 * the loopback fake provider, one frame every {@code heddle.bench.gapMs} ms; for every frame,
 * the time from the moment the provider sends it (just before its write and flush) to the
 * matching {@code REPLY_CHUNK} read from {@code GET /api/events} by a client in the same JVM
 * (one clock). It covers: loopback TCP, the JDK HTTP client, the SSE parser and the protocol
 * reader, the chat turn (chunk event posted through Event Admin, asynchronously), the event
 * stream servlet writing and flushing it, and the client reading it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EngineChunkBench extends HeddleTestSupport {

    private static final int REPLIES = Integer.getInteger("heddle.bench.replies", 20);
    private static final int CHUNKS = Integer.getInteger("heddle.bench.chunks", 50);
    private static final long GAP_MS = Long.getLong("heddle.bench.gapMs", 10);
    private static final Pattern REPLY_ID = Pattern.compile("\"replyId\":\"([^\"]+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("bench-engine-chunks"));
    }

    @Test
    public void chunkOverhead() throws Exception {
        try (FakeModelProvider provider = FakeModelProvider.start()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("baseUrl", provider.openAiBaseUrl());
            props.put("model", "bench");
            service(ConfigurationAdmin.class)
                    .getFactoryConfiguration("io.heddle.chat.engine.openai", "bench", "?")
                    .update(props);
            Poll.until("the engine is listed", DEADLINE, () -> {
                try {
                    return get("/api/chat/engines").body.contains("\"name\":\"bench\"");
                } catch (Exception e) {
                    return false;
                }
            });
            send("POST", "/api/chat/sessions", "{\"id\":\"bench\"}");
            String[] chunks = new String[CHUNKS];
            for (int i = 0; i < CHUNKS; i++) {
                chunks[i] = "token" + i + " ";
            }
            Map<String, Long> received = new ConcurrentHashMap<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server().endpointUrl() + "/api/events"))
                    .header("Accept", "text/event-stream")
                    .build();
            HttpResponse<InputStream> events =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                            for (String line; (line = in.readLine()) != null; ) {
                                if (line.startsWith("data: ") && line.contains("REPLY_CHUNK")) {
                                    long now = System.nanoTime();
                                    Matcher id = REPLY_ID.matcher(line);
                                    Matcher seq = SEQ.matcher(line);
                                    if (id.find() && seq.find()) {
                                        received.put(id.group(1) + "/" + seq.group(1), now);
                                    }
                                }
                            }
                        } catch (Exception closed) {
                            // done
                        }
                    },
                    "bench-events");
            reader.setDaemon(true);
            reader.start();

            List<Double> micros = new ArrayList<>();
            for (int r = 0; r <= REPLIES; r++) {
                provider.clearFrameWrites();
                provider.enqueue(Answer.reply(chunks).gapMillis(GAP_MS));
                String body = send("POST", "/api/chat/sessions/bench/messages", "{\"text\":\"go\"}").body;
                Matcher id = Pattern.compile("\"replyId\":\"([^\"]+)\"").matcher(body);
                id.find();
                String replyId = id.group(1);
                Poll.until("every chunk event arrived", DEADLINE, () -> {
                    for (int i = 0; i < CHUNKS; i++) {
                        if (!received.containsKey(replyId + "/" + i)) {
                            return false;
                        }
                    }
                    return true;
                });
                List<Long> written = provider.frameWrites();
                if (r == 0) {
                    continue; // warm-up
                }
                for (int i = 0; i < CHUNKS; i++) {
                    micros.add((received.get(replyId + "/" + i) - written.get(i)) / 1000.0);
                }
            }
            events.body().close();
            Collections.sort(micros);
            String report = String.format(
                    Locale.ROOT,
                    "engine chunk overhead (frame sent by the provider -> REPLY_CHUNK read from /api/events)%n"
                            + "replies=%d chunks/reply=%d gapMs=%d samples=%d%n"
                            + "p50=%.0f us p90=%.0f us p99=%.0f us max=%.0f us min=%.0f us%n",
                    REPLIES,
                    CHUNKS,
                    GAP_MS,
                    micros.size(),
                    pct(micros, 50),
                    pct(micros, 90),
                    pct(micros, 99),
                    micros.get(micros.size() - 1),
                    micros.get(0));
            Path out = Path.of(System.getProperty("heddle.bench.out", "target/bench-engine-chunks.txt"));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
            System.out.print(report);
        }
    }

    private static double pct(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
