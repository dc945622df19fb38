package io.heddle.itest;

/** Kept under its old name for tests written before the kit; new tests use {@link io.heddle.itest.support.RawHttp}. */
public final class RawHttp extends io.heddle.itest.support.RawHttp {

    private RawHttp() {
    }
}
