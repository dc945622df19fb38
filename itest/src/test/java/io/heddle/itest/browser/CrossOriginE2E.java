package io.heddle.itest.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.openqa.selenium.By;

/**
 * A page on another port of 127.0.0.1 is "same-site" for the browser, so the SameSite=Strict
 * sign-in cookie goes along with its form posts. Such a post must be refused (403
 * forbidden_origin) and must change nothing: here it tries to shut the server down.
 */
public class CrossOriginE2E {

    private UiServer server;
    private Browser browser;
    private HttpServer attacker;

    @Before
    public void start() throws Exception {
        Browser.assumeInstalled();
        server = UiServer.start("cross-origin", home -> {});
        browser = new Browser();
    }

    @After
    public void stop() {
        if (attacker != null) {
            attacker.stop(0);
        }
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void aFormPostedFromAnotherPortWithTheCookieIsRefusedAndTheServerKeepsRunning() throws Exception {
        browser.open(server.signInUrl());
        browser.until("the sign-in cookie", d -> d.manage().getCookieNamed("heddle_token") != null);

        byte[] page = ("<!doctype html><title>Another local app</title>"
                        + "<form method=post action='" + server.url("/api/admin/shutdown") + "'>"
                        + "<button id=go type=submit>Win a prize</button></form>")
                .getBytes(StandardCharsets.UTF_8);
        attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        attacker.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        browser.open("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
        browser.visible("#go").click();

        browser.until(
                "the answer to the cross-origin post",
                d -> d.getCurrentUrl().endsWith("/api/admin/shutdown")
                        && !d.findElement(By.tagName("body")).getText().isEmpty());
        browser.screenshot(getClass().getSimpleName() + "-refused");
        Object status = browser.js(
                "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : null;");
        assertThat(((Number) status).intValue())
                .as("status of the cross-origin post")
                .isEqualTo(403);
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains("forbidden_origin");
        assertThat(server.health()).as("the server still answers").isEqualTo(200);
        assertThat(server.daemon().process().isAlive()).isTrue();
    }
}
