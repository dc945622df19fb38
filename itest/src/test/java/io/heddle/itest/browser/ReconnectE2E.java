package io.heddle.itest.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The connection indicator: it says "reconnecting…" while the server is away, and when a server
 * answers again on the same endpoint the page reconnects by itself and shows the new server.
 */
public class ReconnectE2E {

    private UiServer server;
    private Browser browser;

    @Before
    public void start() throws Exception {
        Browser.assumeInstalled();
        server = UiServer.start("reconnect", home -> {});
        browser = new Browser();
    }

    @After
    public void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void theIndicatorSaysReconnectingWhileTheServerIsGoneAndTheNewServerShowsWithoutAReload() throws Exception {
        browser.open(server.url("/"));
        String firstId = server.daemon().value("serverId").orElseThrow();
        browser.text(".host-facts .server-id", firstId);
        browser.until(
                "the stream to be live",
                d -> "open".equals(browser.js("return document.querySelector('.conn').dataset.state")));
        browser.js("window.heddleSamePage = true");

        server.daemon().sigterm();
        assertThat(browser.text(".conn", "reconnecting")).contains("reconnecting");
        browser.screenshot(getClass().getSimpleName() + "-reconnecting");

        server.restart();
        String secondId = server.daemon().value("serverId").orElseThrow();
        assertThat(secondId).isNotEqualTo(firstId);
        browser.text(".host-facts .server-id", secondId);
        assertThat(browser.text(".conn", "live")).contains("live");
        assertThat(browser.js("return window.heddleSamePage"))
                .as("the page was never reloaded")
                .isEqualTo(true);
    }
}
