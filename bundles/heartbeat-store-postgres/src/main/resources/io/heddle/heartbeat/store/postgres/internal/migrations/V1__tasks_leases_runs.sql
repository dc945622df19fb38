-- Heddle heartbeat task store, schema version 1: the tasks of every namespace, one lease per
-- task, the claimed occurrences (taskId, dueAt; completed ones are never claimed again), and the
-- run history.
CREATE SEQUENCE heddle_task_revisions;

CREATE TABLE heddle_tasks (
    namespace        text        NOT NULL,
    id               text        NOT NULL,
    workspace_key    text        NOT NULL,
    runner           text        NOT NULL,
    enabled          boolean     NOT NULL,
    next_run_at      timestamptz,
    run_requested_at timestamptz,
    body             text        NOT NULL,
    revision         bigint      NOT NULL DEFAULT nextval('heddle_task_revisions'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, id)
);
CREATE INDEX heddle_tasks_due ON heddle_tasks (namespace, next_run_at) WHERE enabled;

CREATE SEQUENCE heddle_fencing_tokens;

CREATE TABLE heddle_leases (
    namespace     text        NOT NULL,
    task_id       text        NOT NULL,
    due_at        timestamptz NOT NULL,
    server_id     text        NOT NULL,
    run_id        text        NOT NULL,
    fencing_token bigint      NOT NULL,
    acquired_at   timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (namespace, task_id),
    FOREIGN KEY (namespace, task_id) REFERENCES heddle_tasks (namespace, id) ON DELETE CASCADE
);

CREATE TABLE heddle_claims (
    namespace     text        NOT NULL,
    task_id       text        NOT NULL,
    due_at        timestamptz NOT NULL,
    fencing_token bigint      NOT NULL,
    server_id     text        NOT NULL,
    completed     boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (namespace, task_id, due_at),
    FOREIGN KEY (namespace, task_id) REFERENCES heddle_tasks (namespace, id) ON DELETE CASCADE
);

CREATE TABLE heddle_runs (
    namespace     text        NOT NULL,
    task_id       text        NOT NULL,
    id            text        NOT NULL,
    workspace_key text        NOT NULL,
    server_id     text        NOT NULL,
    fencing_token bigint,
    due_at        timestamptz,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    status        text        NOT NULL,
    body          text        NOT NULL,
    PRIMARY KEY (namespace, task_id, id),
    FOREIGN KEY (namespace, task_id) REFERENCES heddle_tasks (namespace, id) ON DELETE CASCADE
);
CREATE INDEX heddle_runs_by_task ON heddle_runs (namespace, task_id, started_at DESC);
