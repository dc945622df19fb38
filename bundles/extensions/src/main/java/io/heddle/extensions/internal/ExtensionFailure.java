package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionProblem;

/** A deploy step refused a jar; the problem is what {@code /api/extensions} shows. */
final class ExtensionFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ExtensionProblem problem;

    ExtensionFailure(ExtensionProblem problem) {
        super(problem.message());
        this.problem = problem;
    }

    ExtensionProblem problem() {
        return problem;
    }
}
