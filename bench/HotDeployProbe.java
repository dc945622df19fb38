import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hot-deploy latency against a running {@code heddle daemon} (see bench/hot-deploy-daemon.sh):
 * java bench/HotDeployProbe.java PORT FOLDER JAR RUNS POLL_MS. Each cycle renames the jar into
 * the folder at a random point of the scan interval and probes GET /api/ext/hello every 2 ms
 * until the first 200, then deletes it and probes until the first 404.
 */
public class HotDeployProbe {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path folder = Path.of(args[1]);
        Path jar = Path.of(args[2]);
        int runs = Integer.parseInt(args[3]);
        long pollMs = Long.parseLong(args[4]);
        List<Double> in = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            Path staged = Files.createTempFile(folder, ".hello", ".part");
            Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(ThreadLocalRandom.current().nextLong(pollMs));
            long landed = System.nanoTime();
            Path target = Files.move(staged, folder.resolve("hello.jar"), StandardCopyOption.ATOMIC_MOVE);
            long served = until(port, 200);
            Thread.sleep(ThreadLocalRandom.current().nextLong(pollMs));
            long removed = System.nanoTime();
            Files.delete(target);
            long gone = until(port, 404);
            if (i > 0) { // the first cycle warms up
                in.add((served - landed) / 1e6);
                out.add((gone - removed) / 1e6);
            }
        }
        System.out.printf(Locale.ROOT, "daemon pollMs=%d runs=%d jar-in->200: median %.0f ms (min %.0f, max %.0f); "
                + "jar-out->404: median %.0f ms (min %.0f, max %.0f)%n", pollMs, runs, median(in), Collections.min(in),
                Collections.max(in), median(out), Collections.min(out), Collections.max(out));
    }

    private static long until(int port, int status) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (status(port) == status) {
                return System.nanoTime();
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no " + status + " within 10 s");
    }

    private static int status(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            OutputStream o = socket.getOutputStream();
            o.write(("GET /api/ext/hello HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream i = socket.getInputStream();
            String head = new String(i.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
