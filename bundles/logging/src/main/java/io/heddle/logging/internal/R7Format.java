package io.heddle.logging.internal;

import java.util.Arrays;
import java.util.IllegalFormatException;
import org.osgi.framework.ServiceReference;

/**
 * The OSGi Log Service 1.4 formatting rules of {@code Logger} and {@code FormatterLogger}.
 *
 * <ul>
 * <li>A trailing {@code Throwable} or {@code ServiceReference} is not a message argument: it is
 *     the entry's exception or service; if the argument before it is the other of the two kinds,
 *     it is taken too.</li>
 * <li>{@code Logger}: each {@code {}} takes the next argument ({@code String.valueOf}, arrays as
 *     {@code Arrays.deepToString}); {@code \{}} is a literal {@code {}} and {@code \\{}} a backslash
 *     followed by a placeholder. A placeholder without an argument stays as it is.</li>
 * <li>{@code FormatterLogger}: {@code String.format}; a failure gives a message naming the format
 *     and the arguments.</li>
 * </ul>
 */
final class R7Format {

    /** A formatted message and the exception taken from the arguments (or null). */
    static final class Result {
        final String message;
        final Throwable thrown;

        Result(String message, Throwable thrown) {
            this.message = message;
            this.thrown = thrown;
        }
    }

    private R7Format() {}

    static Result format(String pattern, Object[] arguments, boolean printf) {
        Object[] args = arguments == null ? new Object[0] : arguments;
        int used = args.length;
        Throwable thrown = null;
        boolean tookReference = false;
        for (int taken = 0; taken < 2 && used > 0; taken++) {
            Object last = args[used - 1];
            if (last instanceof Throwable && thrown == null) {
                thrown = (Throwable) last;
                used--;
            } else if (last instanceof ServiceReference && !tookReference) {
                tookReference = true;
                used--;
            } else {
                break;
            }
        }
        Object[] messageArgs = used == args.length ? args : Arrays.copyOf(args, used);
        String message = printf ? printf(pattern, messageArgs) : braces(pattern, messageArgs);
        return new Result(message, thrown);
    }

    static String braces(String pattern, Object[] args) {
        if (pattern == null) {
            return "null";
        }
        if (pattern.indexOf('{') < 0) {
            return pattern;
        }
        StringBuilder out = new StringBuilder(pattern.length() + 16 * args.length);
        int next = 0;
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < n && pattern.charAt(i + 1) == '\\' && isPlaceholder(pattern, i + 2)) {
                out.append('\\');
                i += 2;
            } else if (c == '\\' && isPlaceholder(pattern, i + 1)) {
                out.append("{}");
                i += 3;
            } else if (isPlaceholder(pattern, i)) {
                if (next < args.length) {
                    out.append(text(args[next++]));
                } else {
                    out.append("{}");
                }
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isPlaceholder(String s, int at) {
        return at + 1 < s.length() && s.charAt(at) == '{' && s.charAt(at + 1) == '}';
    }

    private static String text(Object arg) {
        try {
            if (arg instanceof Object[]) {
                return Arrays.deepToString((Object[]) arg);
            }
            if (arg != null && arg.getClass().isArray()) {
                return Arrays.deepToString(new Object[] {arg}).replaceAll("^\\[|\\]$", "");
            }
            return String.valueOf(arg);
        } catch (RuntimeException e) {
            return "[" + arg.getClass().getName() + ".toString() failed: " + e + "]";
        }
    }

    private static String printf(String format, Object[] args) {
        try {
            return String.format(format, args);
        } catch (IllegalFormatException | NullPointerException e) {
            return "The message could not be formatted (" + e + "): format '" + format + "', arguments "
                    + Arrays.deepToString(args);
        }
    }
}
