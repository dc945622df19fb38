package io.heddle.logging.internal;

import java.util.Locale;

/** The levels of the server's log, most verbose first; {@link #OFF} turns a logger off. */
enum Level {
    TRACE("TRACE"),
    DEBUG("DEBUG"),
    INFO("INFO "),
    WARN("WARN "),
    ERROR("ERROR"),
    /** Not a level of a line: a threshold above every level. */
    OFF("OFF  "),
    /** The OSGi Log Service's audit level: always written, whatever the threshold. */
    AUDIT("AUDIT");

    /** The name padded to five characters, as log4j2's {@code %-5level} printed it. */
    final String padded;

    Level(String padded) {
        this.padded = padded;
    }

    /** The values a configuration may name. */
    static final String ALLOWED = "trace, debug, info, warn, error, off";

    /** The level named {@code value} (case-insensitive, surrounding blanks ignored), or null. */
    static Level parse(String value) {
        if (value == null) {
            return null;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "trace":
                return TRACE;
            case "debug":
                return DEBUG;
            case "info":
                return INFO;
            case "warn":
                return WARN;
            case "error":
                return ERROR;
            case "off":
                return OFF;
            default:
                return null;
        }
    }
}
