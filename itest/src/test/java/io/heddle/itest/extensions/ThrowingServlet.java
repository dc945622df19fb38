package io.heddle.itest.extensions;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The servlet of a broken test extension: it throws on every request. */
public final class ThrowingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        throw new IllegalStateException("servlet boom");
    }
}
