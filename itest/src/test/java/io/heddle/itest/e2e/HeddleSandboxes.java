package io.heddle.itest.e2e;

import java.util.ArrayList;
import java.util.List;
import org.junit.rules.ExternalResource;

/**
 * The sandboxes of one test, closed after it (their processes stopped, their homes left for a
 * look): {@code @Rule public final HeddleSandboxes sandboxes = new HeddleSandboxes();} and
 * {@code sandboxes.create("name")}.
 */
public final class HeddleSandboxes extends ExternalResource {

    private final List<HeddleSandbox> created = new ArrayList<>();

    /** A new sandbox (its own HEDDLE_HOME and workspace) that is closed after the test. */
    public HeddleSandbox create(String name) {
        HeddleSandbox sandbox = new HeddleSandbox(name);
        created.add(sandbox);
        return sandbox;
    }

    @Override
    protected void after() {
        created.forEach(HeddleSandbox::close);
        created.clear();
    }
}
