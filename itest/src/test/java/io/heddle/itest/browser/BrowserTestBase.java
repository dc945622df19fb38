package io.heddle.itest.browser;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TestName;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;

/**
 * The base of the browser tests that share one distribution and one Chromium for the class: the
 * subclass's {@code @BeforeClass} calls {@link #startServerAndBrowser}; each test starts signed
 * in (the token URL sets the cookie once); a failed test leaves a screenshot
 * ({@code <Class>-<test>-FAILED}); both are closed after the class.
 */
public abstract class BrowserTestBase {

    protected static UiServer server;
    protected static Browser browser;
    /** The daemon's active workspace. */
    protected static String ws;

    @Rule
    public final TestName name = new TestName();

    @Rule
    public final TestWatcher failureShot = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            if (browser != null) {
                browser.screenshot(BrowserTestBase.this.getClass().getSimpleName() + "-" + description.getMethodName()
                        + "-FAILED");
            }
        }
    };

    /** Starts the distribution (its home prepared by {@code setup}) and the browser; skips without Chromium. */
    protected static void startServerAndBrowser(String homeName, UiServer.Setup setup) throws Exception {
        Browser.assumeInstalled();
        server = UiServer.start(homeName, setup);
        ws = server.workspaceId();
        browser = new Browser();
    }

    @AfterClass
    public static void closeBrowserAndServer() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Before
    public void signedIn() throws Exception {
        browser.open(server.url("/api/health"));
        if (browser.driver().manage().getCookieNamed("heddle_token") == null) {
            browser.open(server.signInUrl());
        }
    }
}
