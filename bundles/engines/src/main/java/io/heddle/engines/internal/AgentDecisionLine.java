package io.heddle.engines.internal;

import io.heddle.api.heartbeat.HeartbeatDecision;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decision an {@code agent} task's model ends its reply with: the last non-blank line is
 * <pre>DECISION: continue|pause|complete|escalate [- reason]</pre>
 * The word {@code DECISION} and the decision are read in any case; the reason may follow after
 * {@code -}, {@code :} or a space. Markdown emphasis or code quotes around the line are
 * tolerated ({@code **DECISION: complete**}). Any other last line is no decision.
 */
final class AgentDecisionLine {

    /** The prompt's description of the format. */
    static final String FORMAT = "DECISION: <continue|pause|complete|escalate> - <a short reason>";

    private static final Pattern LINE = Pattern.compile(
            "DECISION\\s*:\\s*(continue|pause|complete|escalate)\\b(?:\\s*[-:\u2013\u2014]?\\s*(.*))?",
            Pattern.CASE_INSENSITIVE);

    /** A decision and its reason (empty when none was given). */
    record Decision(HeartbeatDecision decision, String reason) {}

    private AgentDecisionLine() {}

    /** The decision of a reply, from its last non-blank line. */
    static Optional<Decision> parse(String reply) {
        if (reply == null) {
            return Optional.empty();
        }
        String last = null;
        String[] lines = reply.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                last = lines[i];
                break;
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        String line = strip(last.strip());
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        HeartbeatDecision decision = HeartbeatDecision.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        String reason = m.group(2) == null ? "" : strip(m.group(2).strip()).strip();
        return Optional.of(new Decision(decision, reason));
    }

    /** Drops the Markdown decoration a model may wrap the line in. */
    private static String strip(String line) {
        String s = line;
        while (s.startsWith("**") || s.startsWith("__")) {
            s = s.substring(2);
        }
        while (s.startsWith("*") || s.startsWith("_") || s.startsWith("`") || s.startsWith(">")) {
            s = s.substring(1).strip();
        }
        while (s.endsWith("**") || s.endsWith("__")) {
            s = s.substring(0, s.length() - 2);
        }
        while (s.endsWith("*") || s.endsWith("_") || s.endsWith("`")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.strip();
    }
}
