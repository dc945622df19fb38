package io.heddle.api.extensions;

/**
 * The Event Admin topics on which changes of the extensions folder are posted, and their
 * properties. Every event has {@link #FILE}; {@link #SYMBOLIC_NAME}, {@link #VERSION} and
 * {@link #BUNDLE_ID} when known; {@code FAILED} also has {@link #CODE} and {@link #MESSAGE}.
 */
public final class ExtensionEvents {

    /** Every extension topic starts with this; subscribe to {@code io/heddle/extensions/*}. */
    public static final String TOPIC_PREFIX = "io/heddle/extensions/";
    /** A jar became a new bundle. */
    public static final String INSTALLED = TOPIC_PREFIX + "INSTALLED";
    /** A jar was replaced and its bundle now runs the new content. */
    public static final String UPDATED = TOPIC_PREFIX + "UPDATED";
    /** A jar was removed and its bundle uninstalled. */
    public static final String UNINSTALLED = TOPIC_PREFIX + "UNINSTALLED";
    /** An extension has a (new) problem: see {@link ExtensionProblem} for the codes. */
    public static final String FAILED = TOPIC_PREFIX + "FAILED";

    public static final String FILE = "file";
    public static final String SYMBOLIC_NAME = "symbolicName";
    public static final String VERSION = "version";
    public static final String BUNDLE_ID = "bundleId";
    public static final String CODE = "code";
    public static final String MESSAGE = "message";

    private ExtensionEvents() {}
}
