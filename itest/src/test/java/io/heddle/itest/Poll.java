package io.heddle.itest;

/** Kept under its old name for tests written before the kit; new tests use {@link io.heddle.itest.support.Poll}. */
public final class Poll extends io.heddle.itest.support.Poll {

    private Poll() {
    }
}
