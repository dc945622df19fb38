-- Schema version 2: the servers active in a namespace, and when each last claimed or renewed.
CREATE TABLE heddle_servers (
    namespace     text        NOT NULL,
    server_id     text        NOT NULL,
    last_claim_at timestamptz,
    last_renew_at timestamptz,
    seen_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, server_id)
);
