package io.heddle.itest.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** One {@code heddle} process of the distribution and everything it printed so far. */
public final class HeddleRun {

    static final List<String> START_PREFIXES =
            List.of("Heddle server listening at http://", "serverId=", "workspace=", "state=", "registry=");
    static final String ATTACH_PREFIX = "Heddle control-plane server already running at http://";

    private final Process process;
    private final String description;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    /** How many of the two output streams reached their end. */
    private int pumpsDone;

    HeddleRun(Process process, String description) {
        this.process = process;
        this.description = description;
        pump(process.getInputStream(), out, "out");
        pump(process.getErrorStream(), err, "err");
    }

    private void pump(InputStream stream, List<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            synchronized (this) {
                                lines.add(line);
                                notifyAll();
                            }
                        }
                    } catch (IOException closed) {
                        // the process is gone
                    }
                    synchronized (this) {
                        pumpsDone++;
                        notifyAll();
                    }
                },
                "heddle-" + name + "-" + process.pid());
        t.setDaemon(true);
        t.start();
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public synchronized List<String> stdout() {
        return new ArrayList<>(out);
    }

    public synchronized List<String> stderr() {
        return new ArrayList<>(err);
    }

    /** Waits for a stdout line matching {@code test}; empty when the process exits or the deadline passes first. */
    public Optional<String> awaitLine(Predicate<String> test, Duration deadline) throws InterruptedException {
        return await(out, test, deadline);
    }

    /** Waits for a stderr line matching {@code test} (10 s at most). */
    Optional<String> awaitStderrLine(Predicate<String> test) throws InterruptedException {
        return await(err, test, Duration.ofSeconds(10));
    }

    private synchronized Optional<String> await(List<String> lines, Predicate<String> test, Duration deadline)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (test.test(lines.get(seen))) {
                    return Optional.of(lines.get(seen));
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0 || pumpsDone == 2) {
                return Optional.empty();
            }
            wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
        }
    }

    /** Waits for the five start lines; fails with the output when they do not come. */
    List<String> awaitStartLines(Duration deadline) throws InterruptedException {
        if (awaitLine(l -> l.startsWith("registry="), deadline).isEmpty()) {
            throw new AssertionError(
                    description + " did not print its start lines within " + deadline.toSeconds() + " s" + report());
        }
        List<String> lines = stdout();
        int first = indexOfPrefix(lines, START_PREFIXES.get(0));
        return lines.subList(first, Math.min(lines.size(), first + 5));
    }

    /** Waits for the process to exit; fails when it does not. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(description + " did not exit within " + deadline.toSeconds() + " s" + report());
        }
        // let the pumps reach the end of both streams
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (this) {
            while (pumpsDone < 2) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
        }
        return process.exitValue();
    }

    static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of the first {@code key=value} line on stdout. */
    public Optional<String> value(String key) {
        return stdout().stream()
                .filter(l -> l.startsWith(key + "="))
                .findFirst()
                .map(l -> l.substring(key.length() + 1));
    }

    public String report() {
        return "\n  command: " + description + "\n  stdout: " + stdout() + "\n  stderr: " + stderr();
    }

    /**
     * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} would also close
     * our ends of its output pipes, and what it prints while stopping would be lost.
     */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** Kills the process and every process it started. */
    void destroy() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
