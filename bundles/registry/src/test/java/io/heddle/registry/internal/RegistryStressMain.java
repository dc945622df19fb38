package io.heddle.registry.internal;

import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.RefreshResult;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Test helper run as its own OS process against a real registry file, so that tests can race
 * processes, not just threads. It prints one fact per line on stdout; warnings of the registry
 * are printed as {@code WARN <message>} so that the test can assert there were none.
 *
 * <ul>
 *   <li>{@code cycles <registry> <workspaceBase> <index> <cycles> <serverId>}: prints {@code READY},
 *       waits for a line on stdin, then does {@code cycles} times registerWorkspaces (its own
 *       workspace, named after the cycle) + refresh(serverId); prints
 *       {@code DONE refreshed=<n> lost=<n>}. Only this process writes its workspace, so before each
 *       cycle the file must still show the previous cycle's name; anything else is a lost update
 *       (another process wrote back what it had read before our write), printed as {@code LOST ...}.</li>
 *   <li>{@code claim <registry> <serverId>}: prints {@code READY}, waits for a line on stdin, claims
 *       with its own pid and process start, prints {@code CLAIMED} or {@code CONFLICT <serverId>},
 *       then stays alive (so its record stays fresh) until stdin closes.</li>
 *   <li>{@code write-forever <registry> <workspaceBase> <index> <serverId>}: loops registerWorkspaces +
 *       refresh and prints {@code WROTE <cycle>} after each cycle, until killed.</li>
 * </ul>
 */
public final class RegistryStressMain {

    private RegistryStressMain() {}

    /** The workspace process {@code index} registers: {@code <base>/p<index>/.heddle}, named after the cycle. */
    static WorkspaceDescriptor workspaceOf(Path base, int index, long cycle, Instant at) {
        String root = base.resolve("p" + index).toString();
        return new WorkspaceDescriptor(
                "ws-p" + index,
                cycleName(index, cycle),
                root,
                List.of(root),
                base.resolve("p" + index).resolve(".heddle").toString(),
                at,
                at);
    }

    static String cycleName(int index, long cycle) {
        return "p" + index + " cycle " + cycle;
    }

    private static String nameOf(FileDaemonRegistry registry, String workspaceId) {
        return registry.read().workspaces().stream()
                .filter(e -> e.workspace().id().equals(workspaceId))
                .map(e -> e.workspace().name())
                .findFirst()
                .orElse("(none)");
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        // What these processes pin is that no update is lost and no file is torn, not how soon a
        // waiter gets the lock: eight writers on a loaded two-core box can keep one waiting past the
        // production timeout (10 s), which would end its process with nothing proven.
        FileDaemonRegistry registry = new FileDaemonRegistry(
                Path.of(args[1]),
                java.time.Clock.systemUTC(),
                FileDaemonRegistry.DEFAULT_STALE_AFTER,
                new ProcessLiveness(),
                warning -> say("WARN " + warning),
                Duration.ofMinutes(2));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (mode) {
            case "cycles": {
                Path base = Path.of(args[2]);
                int index = Integer.parseInt(args[3]);
                int cycles = Integer.parseInt(args[4]);
                String serverId = args[5];
                say("READY");
                stdin.readLine();
                int refreshed = 0;
                int lost = 0;
                for (int i = 0; i < cycles; i++) {
                    if (i > 0) {
                        String seen = nameOf(registry, "ws-p" + index);
                        if (!seen.equals(cycleName(index, i - 1))) {
                            lost++;
                            say("LOST wrote '" + cycleName(index, i - 1) + "', the file holds '" + seen + "'");
                        }
                    }
                    registry.registerWorkspaces(List.of(workspaceOf(base, index, i, Instant.now())));
                    RefreshResult result = registry.refresh(serverId, Instant.now());
                    if (result.outcome() == RefreshResult.Outcome.REFRESHED) {
                        refreshed++;
                    } else {
                        say("UNEXPECTED " + result);
                    }
                }
                say("DONE refreshed=" + refreshed + " lost=" + lost);
                break;
            }
            case "claim": {
                String serverId = args[2];
                long pid = ProcessHandle.current().pid();
                say("READY");
                stdin.readLine();
                Instant now = Instant.now();
                ServerRecord record = new ServerRecord(
                        serverId,
                        ServerMode.DAEMON,
                        "127.0.0.1",
                        8765,
                        pid,
                        ProcessLiveness.startInstant(pid).orElse(null),
                        now,
                        now);
                ClaimResult result = registry.claim(record);
                say(
                        result.isClaimed()
                                ? "CLAIMED"
                                : "CONFLICT " + result.existing().orElseThrow().serverId());
                while (stdin.readLine() != null) {
                    // stay alive, and so fresh, until the test has every answer
                }
                break;
            }
            case "write-forever": {
                Path base = Path.of(args[2]);
                int index = Integer.parseInt(args[3]);
                String serverId = args[4];
                for (long cycle = 1; ; cycle++) {
                    registry.registerWorkspaces(List.of(workspaceOf(base, index, cycle, Instant.now())));
                    registry.refresh(serverId, Instant.now());
                    say("WROTE " + cycle);
                }
            }
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
