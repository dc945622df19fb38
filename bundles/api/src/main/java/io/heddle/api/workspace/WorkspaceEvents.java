package io.heddle.api.workspace;

/**
 * The Event Admin topic on which changes of a workspace catalog are posted (and so streamed
 * by {@code GET /api/events} as {@code workspaces.changed}). Properties: {@link #CHANGE},
 * {@link #WORKSPACE_ID}, {@link #STATE_ROOT} (the catalog's state folder), and {@link #NAME}
 * for {@code created} and {@code renamed}.
 */
public final class WorkspaceEvents {

    /** A workspace was created, renamed, made active, or its task store key was set. */
    public static final String CHANGED = "io/heddle/workspaces/CHANGED";

    /** What changed: {@link #CREATED}, {@link #RENAMED}, {@link #ACTIVATED} or {@link #KEY_SET}. */
    public static final String CHANGE = "change";

    public static final String WORKSPACE_ID = "workspaceId";
    public static final String NAME = "name";
    public static final String STATE_ROOT = "stateRoot";

    public static final String CREATED = "created";
    public static final String RENAMED = "renamed";
    /** The workspace became the catalog's active one. */
    public static final String ACTIVATED = "activated";
    /** The workspace's task store key was set or cleared. */
    public static final String KEY_SET = "key_set";

    private WorkspaceEvents() {}
}
