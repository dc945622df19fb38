package io.heddle.itest.bench;

import io.heddle.api.extensions.ExtensionCatalog;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.HeddleTestSupport;
import io.heddle.itest.support.Poll;
import io.heddle.itest.support.RawHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Hot-deploy latency, measured in a real container outside the test suite (failsafe runs
 * {@code *IT} and {@code *E2E}; run this with {@code bench/hot-deploy.sh}). For each poll
 * interval: the time from the jar landing in the folder (an atomic rename) to the first 200 of
 * its endpoint, and from its removal to the first 404. The endpoint is probed every 2 ms. Each
 * landing and removal waits a random part of the scan interval first, so that it falls at a
 * random point of the watcher's cycle (back-to-back cycles would lock onto its phase).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployBench extends HeddleTestSupport {

    private static final int RUNS = Integer.getInteger("heddle.bench.runs", 21);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("bench-hot-deploy"));
    }

    @Test
    public void measure() throws Exception {
        StringBuilder report = new StringBuilder();
        for (long pollMs : new long[] {100, 250}) {
            usePoll(pollMs);
            Path folder = extensionsFolder();
            cycle(folder, pollMs); // warm-up: class loading, JIT, pools
            List<Double> deploy = new ArrayList<>();
            List<Double> remove = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                double[] times = cycle(folder, pollMs);
                deploy.add(times[0]);
                remove.add(times[1]);
            }
            report.append(String.format(
                    Locale.ROOT,
                    "pollMs=%d runs=%d jar-in->200: median %.0f ms (min %.0f, max %.0f); "
                            + "jar-out->404: median %.0f ms (min %.0f, max %.0f)%n",
                    pollMs,
                    RUNS,
                    median(deploy),
                    Collections.min(deploy),
                    Collections.max(deploy),
                    median(remove),
                    Collections.min(remove),
                    Collections.max(remove)));
        }
        usePoll(-1);
        System.out.print(report);
        Path out = Path.of(System.getProperty("heddle.bench.out", "target/bench-hot-deploy.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
    }

    /** Sets pollMs (or removes the configuration) and waits until the component restarted with it. */
    private void usePoll(long pollMs) throws Exception {
        long before = catalogServiceId();
        org.osgi.service.cm.Configuration configuration =
                service(ConfigurationAdmin.class).getConfiguration("io.heddle.extensions", "?");
        if (pollMs < 0) {
            configuration.delete();
        } else {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("pollMs", pollMs);
            configuration.update(properties);
        }
        Poll.until("the extensions component restarted", DEADLINE, () -> catalogServiceId() > before);
    }

    private long catalogServiceId() {
        ServiceReference<ExtensionCatalog> reference = context().getServiceReference(ExtensionCatalog.class);
        return reference == null ? -1 : (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    /** One deploy and removal; answers the two latencies in milliseconds. */
    private double[] cycle(Path folder, long pollMs) throws IOException, InterruptedException {
        Path staged = Files.createTempFile(folder, ".hello", ".part");
        Files.copy(Path.of(System.getProperty("heddle.exampleExtension")), staged, StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(ThreadLocalRandom.current().nextLong(pollMs));
        long landed = System.nanoTime();
        Path jar = Files.move(staged, folder.resolve("hello.jar"), StandardCopyOption.ATOMIC_MOVE);
        long served = until(200);
        Thread.sleep(ThreadLocalRandom.current().nextLong(pollMs));
        long removed = System.nanoTime();
        Files.delete(jar);
        long gone = until(404);
        return new double[] {(served - landed) / 1e6, (gone - removed) / 1e6};
    }

    private long until(int status) throws IOException, InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            RawHttp.Response response = get("/api/ext/hello");
            if (response.status == status) {
                return System.nanoTime();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no " + status + " within " + DEADLINE.toSeconds() + " s");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
