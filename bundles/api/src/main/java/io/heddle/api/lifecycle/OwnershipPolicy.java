package io.heddle.api.lifecycle;

/** What a new server does when the live record is held by another fresh server. */
public enum OwnershipPolicy {
    /** Refuse to start: the start fails with {@link ServerStartException.Reason#OWNER_CONFLICT}. */
    CLAIM,
    /** Take the record over unconditionally (the older server stands by until it is free again). */
    TAKE_OVER
}
