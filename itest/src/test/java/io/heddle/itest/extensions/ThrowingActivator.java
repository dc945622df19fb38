package io.heddle.itest.extensions;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** The activator of a broken test extension: its start always throws. */
public final class ThrowingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("activator boom");
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
