package io.heddle.launcher;

import io.heddle.storage.internal.JsonTree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heddle ext ...}: the extension bundles in the live server's extensions folder. */
@Command(
        name = "ext",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Lists, installs and removes the extension bundles of the running server's extensions folder.",
        commandListHeading = "%nCommands:%n",
        subcommands = {ExtCommand.ListExtensions.class, ExtCommand.Install.class, ExtCommand.Remove.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failure (a broken extension, the server refused or did not answer)",
            "2:usage error",
            "3:no server is running"
        })
final class ExtCommand implements Callable<Integer> {

    private static final long POLL_MILLIS = 100;

    @Spec
    CommandSpec spec;

    ExtCommand(Terminal terminal) {}

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "No ext command given. Pick one of the commands below");
    }

    static List<Map<String, Object>> entries(Map<String, Object> answer) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object e : ApiClient.list(answer.get("extensions"))) {
            all.add(ApiClient.object(e));
        }
        return all;
    }

    static Map<String, Object> entry(Map<String, Object> answer, String file) {
        for (Map<String, Object> e : entries(answer)) {
            if (file.equals(e.get("file"))) {
                return e;
            }
        }
        return null;
    }

    static Path folder(ApiClient api, Map<String, Object> answer) {
        Object folder = answer.get("folder");
        if (!(folder instanceof String)) {
            throw CommandFailure.runtime("The server at " + api.server().endpointUrl() + " watches no extensions"
                    + " folder. Check its log with: heddle logs");
        }
        return Path.of((String) folder);
    }

    static String problem(Map<String, Object> entry) {
        Map<String, Object> error = ApiClient.object(entry.get("error"));
        return ApiClient.text(error, "code", "error") + ": " + ApiClient.text(error, "message", "");
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Lists the jars of the extensions folder: file, state, symbolic name, version, and each"
                    + " one's problem.")
    static final class ListExtensions extends ApiCommand {
        ListExtensions(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> answer = api.get("/api/extensions");
            return replyWith(answer, () -> printExtensions(answer));
        }

        /** The folder, the extensions as a table, then each one's problem. */
        private void printExtensions(Map<String, Object> answer) {
            terminal.line("folder=" + ApiClient.text(answer, "folder", ""));
            List<Map<String, Object>> all = entries(answer);
            if (all.isEmpty()) {
                terminal.line("No extensions. Install one with: heddle ext install JAR");
                return;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"FILE", "STATE", "VERSION", "SYMBOLIC NAME"});
            for (Map<String, Object> e : all) {
                rows.add(new String[] {
                    ApiClient.text(e, "file", ""),
                    ApiClient.text(e, "state", ""),
                    ApiClient.text(e, "version", "-"),
                    ApiClient.text(e, "symbolicName", "-")
                });
            }
            Table.print(terminal, rows);
            for (Map<String, Object> e : all) {
                if (e.get("error") != null) {
                    terminal.line(e.get("file") + ": " + problem(e));
                }
            }
        }
    }

    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = {
                "Copies a jar into the running server's extensions folder (under a hidden temporary name,"
                        + " then renamed, so the server never sees half a file) and waits until it is active or has a"
                        + " problem, which is printed.",
                "A jar that fails is taken out again (a replaced jar is put back), and the exit code is 1."
            })
    static final class Install extends ApiCommand {

        @Parameters(index = "0", paramLabel = "JAR", description = "The extension bundle (a .jar file).")
        Path jar;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "60",
                converter = SecondsConverter.class,
                description = "How long to wait for it to become active (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        Install(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            Path name = jar.getFileName();
            if (name == null
                    || !name.toString().endsWith(".jar")
                    || name.toString().startsWith(".")) {
                throw usage("'" + jar + "' is not a jar file name. Give a file whose name ends in .jar (and does not"
                        + " start with a dot)");
            }
        }

        @Override
        int run(ApiClient api) {
            if (!Files.isRegularFile(jar)) {
                throw CommandFailure.runtime("The jar " + jar.toAbsolutePath() + " does not exist or is not a file."
                        + " Give the path of the extension's jar.");
            }
            Map<String, Object> before = api.get("/api/extensions");
            Path folder = folder(api, before);
            String name = jar.getFileName().toString();
            Path target = folder.resolve(name);
            Map<String, Object> previous = entry(before, name);
            if (Files.isRegularFile(target) && sameContent(jar, target)) {
                return report(previous == null ? Map.of("file", name) : previous, "already installed");
            }

            BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
            CountDownLatch connected = new CountDownLatch(1);
            Thread listener = new Thread(() -> listen(api, name, events, connected), "heddle-ext-events");
            listener.setDaemon(true);
            listener.start();
            try {
                connected.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }

            long pid = ProcessHandle.current().pid();
            Path backup = folder.resolve("." + name + ".previous-" + pid);
            boolean replaced = Files.exists(target);
            copyInto(folder, name, target, replaced ? backup : null, pid);

            Map<String, Object> outcome = await(api, name, previous, events, Duration.ofSeconds(timeoutSeconds));
            if (outcome.get("error") != null) {
                String undo = takeBack(target, replaced ? backup : null);
                throw CommandFailure.runtime(name + " could not be installed: " + problem(outcome) + " " + undo);
            }
            deleteQuietly(backup);
            return report(outcome, replaced ? "updated" : "installed");
        }

        private int report(Map<String, Object> entry, String what) {
            if (json) {
                printJson(entry);
                return entry.get("error") == null ? Heddle.OK : Heddle.FAILURE;
            }
            Map<String, Object> contributes = ApiClient.object(entry.get("contributes"));
            terminal.line(
                    "Extension " + entry.get("file") + " " + what + ": " + ApiClient.text(entry, "symbolicName", "?")
                            + " " + ApiClient.text(entry, "version", "?") + ", " + ApiClient.text(entry, "state", "?"));
            if (!ApiClient.list(contributes.get("servlets")).isEmpty()
                    || !ApiClient.list(contributes.get("runners")).isEmpty()) {
                terminal.line("contributes: servlets " + ApiClient.list(contributes.get("servlets")) + ", runners "
                        + ApiClient.list(contributes.get("runners")));
            }
            if (entry.get("error") != null) {
                throw CommandFailure.runtime(entry.get("file") + " has a problem: " + problem(entry));
            }
            return Heddle.OK;
        }

        /** Writes the jar under a hidden name in the folder, forces it to disk, then renames it over the target. */
        private void copyInto(Path folder, String name, Path target, Path backup, long pid) {
            Path temp = folder.resolve("." + name + ".part-" + pid);
            try {
                if (backup != null) {
                    Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(temp);
                if (backup != null) {
                    deleteQuietly(backup);
                }
                throw CommandFailure.runtime(
                        "Cannot copy " + jar + " into the extensions folder " + folder + " ("
                                + io.heddle.storage.internal.IoFailures.reason(e)
                                + "). Make the folder writable for you, and check that the disk has"
                                + " room.",
                        e);
            }
        }

        /**
         * Waits for the server's verdict on the jar: an event about it (installed, updated, failed),
         * or its entry in the list when that changed; answers the entry (with {@code error} when it failed).
         */
        private Map<String, Object> await(
                ApiClient api,
                String name,
                Map<String, Object> previous,
                BlockingQueue<Map<String, Object>> events,
                Duration timeout) {
            long end = System.nanoTime() + timeout.toNanos();
            boolean heard = false;
            while (true) {
                Map<String, Object> event;
                try {
                    event = events.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw CommandFailure.runtime("Interrupted while waiting for " + name + " to become active; it is in"
                            + " the extensions folder. See it with: heddle ext list");
                }
                if (event != null) {
                    String kind = ApiClient.text(event, "event", "");
                    if (kind.equals("extensions.failed")) {
                        Map<String, Object> failed = new java.util.LinkedHashMap<>(event);
                        failed.put(
                                "error",
                                Map.of(
                                        "code",
                                        ApiClient.text(event, "code", "failed"),
                                        "message",
                                        ApiClient.text(event, "message", "")));
                        Map<String, Object> listed = entry(api.get("/api/extensions"), name);
                        return listed != null && listed.get("error") != null ? listed : failed;
                    }
                    heard |= kind.equals("extensions.installed") || kind.equals("extensions.updated");
                }
                Map<String, Object> entry = entry(api.get("/api/extensions"), name);
                if (entry != null) {
                    boolean changed = previous == null || !entry.equals(previous);
                    if (entry.get("error") != null && (heard || changed)) {
                        return entry;
                    }
                    if ("ACTIVE".equals(entry.get("state"))
                            && entry.get("error") == null
                            && (heard || previous == null)) {
                        return entry;
                    }
                }
                if (System.nanoTime() >= end) {
                    throw CommandFailure.runtime(name + " did not become active within " + timeout.toSeconds()
                            + " s; it stays in the extensions folder. See its state with: heddle ext list");
                }
            }
        }

        /** Takes a failed jar out of the folder again (puts the replaced one back); says what was done. */
        private String takeBack(Path target, Path backup) {
            try {
                if (backup == null) {
                    Files.deleteIfExists(target);
                    return "It was removed from " + target.getParent() + ".";
                }
                Files.move(backup, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return "The jar it replaced was put back.";
            } catch (IOException e) {
                return "It could not be taken out of the folder (" + io.heddle.storage.internal.IoFailures.reason(e)
                        + "): delete " + target + ".";
            }
        }

        private static void listen(
                ApiClient api, String name, BlockingQueue<Map<String, Object>> events, CountDownLatch connected) {
            String[] eventName = {""};
            try {
                api.stream("/api/events", line -> {
                    if (line.startsWith(":")) {
                        connected.countDown();
                    } else if (line.startsWith("event: ")) {
                        eventName[0] = line.substring(7).trim();
                    } else if (line.startsWith("data: ") && eventName[0].startsWith("extensions.")) {
                        try {
                            Map<String, Object> data = ApiClient.object(
                                    JsonTree.parse(line.substring(6).getBytes(StandardCharsets.UTF_8)));
                            if (name.equals(data.get("file"))) {
                                data.put("event", eventName[0]);
                                events.add(data);
                            }
                        } catch (IOException ignored) {
                            // not JSON: not an event of ours
                        }
                    }
                    return true;
                });
            } catch (RuntimeException e) {
                // the list is polled as well: the verdict does not depend on the stream
            } finally {
                connected.countDown();
            }
        }

        private static boolean sameContent(Path a, Path b) {
            try {
                return Files.size(a) == Files.size(b) && Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Removes an extension: deletes its jar from the folder and waits until it is uninstalled.")
    static final class Remove extends ApiCommand {

        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The jar's file name (with or without .jar), or" + " the bundle's symbolic name.")
        String name;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "30",
                converter = SecondsConverter.class,
                description = "How long to wait for the uninstall (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        Remove(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw usage("'" + name + "' is not an extension name. Give a file name from 'heddle ext list'");
            }
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> answer = api.get("/api/extensions");
            Path folder = folder(api, answer);
            Map<String, Object> found = null;
            for (Map<String, Object> e : entries(answer)) {
                if (name.equals(e.get("file"))
                        || (name + ".jar").equals(e.get("file"))
                        || name.equals(e.get("symbolicName"))) {
                    found = e;
                    break;
                }
            }
            if (found == null) {
                throw CommandFailure.runtime(
                        "No extension '" + name + "' in " + folder + ". See them with: heddle ext" + " list");
            }
            String file = (String) found.get("file");
            try {
                Files.deleteIfExists(folder.resolve(file));
            } catch (IOException e) {
                throw CommandFailure.runtime(
                        "Cannot delete " + folder.resolve(file) + " (" + io.heddle.storage.internal.IoFailures.reason(e)
                                + "). Make the folder writable for you.",
                        e);
            }
            long end = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (entry(api.get("/api/extensions"), file) != null) {
                if (System.nanoTime() >= end) {
                    throw CommandFailure.runtime(file + " was deleted but is still listed after " + timeoutSeconds
                            + " s. See its state with: heddle ext list");
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return reply(Map.of("file", file, "removed", true), () -> "Extension " + file + " removed.");
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover hidden file is ignored by the watcher
        }
    }
}
