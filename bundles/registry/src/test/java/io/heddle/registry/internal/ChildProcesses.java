package io.heddle.registry.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real OS processes for a test and kills whatever is left of them (and their
 * descendants) after it, pass or fail. Register with {@code @RegisterExtension}.
 */
final class ChildProcesses implements AfterEachCallback {

    private final List<Process> started = new ArrayList<>();

    /** A JVM running {@code main} on the test class path; its stderr goes to the test's stderr. */
    Child startJava(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // short-lived helpers: start fast and stay small
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT));
    }

    Child start(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            synchronized (started) {
                started.add(process);
            }
            return new Child(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + builder.command(), e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
            started.clear();
        }
        for (Process process : all) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : all) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One started process with line-based access to its stdin and stdout. */
    static final class Child {
        /** Marks the end of stdout in the queue; compared by identity, so no printed line can equal it. */
        @SuppressWarnings("StringOperationCanBeSimplified")
        private static final String END = new String("end of stdout");

        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer in;

        Child(Process process) {
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::pumpStdout, "stdout-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        private void pumpStdout() {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException killed) {
                // the stream ends with the process
            } finally {
                lines.add(END);
            }
        }

        Process process() {
            return process;
        }

        long pid() {
            return process.pid();
        }

        /** The next stdout line; fails when the process ends first or the line does not come in time. */
        String readLine(Duration timeout) {
            try {
                String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new AssertionError("process " + process.pid() + " printed nothing within " + timeout);
                }
                if (line == END) {
                    lines.add(END);
                    throw new AssertionError("process " + process.pid() + " ended without printing the expected line");
                }
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Reads stdout lines until one starts with {@code prefix}; answers that line. */
        String awaitLineStartingWith(String prefix, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("process " + process.pid() + " printed no line starting with '" + prefix
                            + "' within " + timeout);
                }
                String line = readLine(Duration.ofNanos(left));
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        /** Every stdout line until the process ends. */
        List<String> remainingLines(Duration timeout) {
            List<String> rest = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line;
                try {
                    line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
                if (line == null) {
                    throw new AssertionError("process " + process.pid() + " still printing after " + timeout);
                }
                if (line == END) {
                    lines.add(END);
                    return rest;
                }
                rest.add(line);
            }
        }

        void send(String line) {
            try {
                in.write(line + "\n");
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void closeStdin() {
            try {
                in.close();
            } catch (IOException ignored) {
                // the process is gone already; that is what closing asks for anyway
            }
        }

        /** Waits for the exit and answers the exit code; fails when the process does not end in time. */
        int awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("process " + process.pid() + " did not end within " + timeout);
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
