package io.heddle.itest.extensions;

/** The Declarative Services component of a broken test extension: its activation always throws. */
public final class ThrowingComponent {

    public void activate() {
        throw new IllegalStateException("component boom");
    }
}
