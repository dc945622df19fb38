package io.heddle.launcher;

import io.heddle.storage.internal.JsonTree;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The base of the commands that talk to the live server's API ({@code task}, {@code runs},
 * {@code run}, {@code workspace}, {@code ext}, {@code logs}, {@code events}): their arguments are
 * checked first (exit 2 without contacting anyone), then the live server is found (exit 3 when
 * none runs) and the command runs with an authenticated {@link ApiClient}. Human output by
 * default; {@code --json} prints the server's JSON on one line, for scripts.
 */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON on one line instead of text, for scripts.")
    boolean json;

    final Terminal terminal;

    ApiCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public final Integer call() {
        check();
        return run(LiveServerLookup.open(terminal).connect());
    }

    /** Checks the arguments beyond what picocli checks; throws {@link #usage} for a bad one. */
    void check() {}

    abstract int run(ApiClient api);

    /** A usage error (exit 2): one line naming the cause and the fix, then the command's usage. */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    void printJson(Object value) {
        terminal.line(JsonTree.writeCompact(value));
    }

    /** Prints {@code answer} as JSON with {@code --json}, else the one line {@code human} makes; exit 0. */
    int reply(Object answer, Supplier<String> human) {
        return replyWith(answer, () -> terminal.line(human.get()));
    }

    /** Prints {@code answer} as JSON with {@code --json}, else runs {@code human} (text output); exit 0. */
    int replyWith(Object answer, Runnable human) {
        if (json) {
            printJson(answer);
        } else {
            human.run();
        }
        return Heddle.OK;
    }
}
