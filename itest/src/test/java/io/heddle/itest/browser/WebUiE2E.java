package io.heddle.itest.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.itest.TestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The web control plane in real Chromium against the real distribution: one daemon and one
 * browser for the class. Every test leaves a screenshot in {@code itest/target/screenshots/}.
 */
public class WebUiE2E extends BrowserTestBase {

    private static final String XSS_NAME = "<img src=x onerror=alert(1)>";

    @BeforeClass
    public static void startServerAndBrowser() throws Exception {
        startServerAndBrowser("web-ui", home -> {
            // A chat engine that answers in two pieces, a moment apart, so that streaming can be seen.
            Path engine = home.resolve("chat-engine.sh");
            // Otherwise it echoes the message, so that a test can have any Markdown rendered.
            Files.writeString(
                    engine,
                    "msg=$(cat)\ncase \"$msg\" in\n*'two parts'*)\n"
                            + "  printf 'Streaming **first** part. '\n  sleep 1.5\n  printf 'Then the `second` part.'\n  ;;\n"
                            + "*) printf '%s' \"$msg\" ;;\nesac\n");
            Files.writeString(
                    home.resolve("etc/io.heddle.chat.engine.command.cfg"),
                    "argv=[\"sh\",\"" + engine + "\"]\ninput=last-message\n");
        });
    }

    private void screenshot() {
        browser.screenshot(getClass().getSimpleName() + "-" + name.getMethodName());
    }

    private WebDriver driver() {
        return browser.driver();
    }

    @Test
    public void signingInThroughTheTokenUrlSetsTheCookieAndChangesWork() throws Exception {
        driver().manage().deleteAllCookies();
        browser.open(server.url("/workspaces"));
        Path folder = Files.createDirectories(server.sandbox().home().resolve("signed-out-try"));
        browser.visible("#ws-path").sendKeys(folder.toString());
        browser.visible(".add-ws button[type=submit]").click();
        assertThat(browser.text(".add-ws .signin-hint", "heddle open"))
                .contains("heddle open")
                .doesNotContain("401")
                .doesNotContain("token_required");
        screenshot();

        String signIn = server.signInUrl();
        assertThat(signIn).startsWith(server.base() + "/?token=");
        browser.open(signIn);
        browser.until(
                "the redirect to drop the token from the address",
                d -> !d.getCurrentUrl().contains("token="));
        Cookie cookie = driver().manage().getCookieNamed("heddle_token");
        assertThat(cookie).as("the sign-in cookie").isNotNull();
        assertThat(cookie.getValue()).isEqualTo(server.token());
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat((String) browser.js("return document.cookie")).doesNotContain("heddle_token");

        // the same change, now signed in, goes through
        browser.open(server.url("/workspaces"));
        browser.visible("#ws-path").sendKeys(folder.toString());
        browser.visible(".add-ws button[type=submit]").click();
        browser.withText(".ws-card", folder.toString());
        assertThat(driver().findElements(By.cssSelector(".add-ws .signin-hint")))
                .isEmpty();
    }

    @Test
    public void theOverviewNamesTheTaskStoreInUse() throws Exception {
        browser.open(server.url("/"));
        assertThat(browser.text(".store-line", "files"))
                .contains("available")
                .contains("Tasks are kept in each workspace's files.");
        assertThat(browser.text(".store-line ~ dl.facts", "Kind")).matches("(?s)Kind\\s+file\\b.*");
        browser.js("document.querySelector('.store-line').scrollIntoView()");
        screenshot();
    }

    @Test
    public void addingAWorkspaceMakesItAppearAndABadPathShowsTheServersError() throws Exception {
        browser.open(server.url("/workspaces"));
        WebElement path = browser.visible("#ws-path");
        path.sendKeys(server.sandbox().home().resolve("no-such-folder").toString());
        browser.visible(".add-ws button[type=submit]").click();
        assertThat(browser.text(".add-ws .error", "no-such-folder")).contains("no-such-folder");

        Path folder = Files.createDirectories(server.sandbox().home().resolve("second-project"));
        path.clear();
        path.sendKeys(folder.toString());
        browser.visible("#ws-name").sendKeys("Second project");
        browser.visible(".add-ws button[type=submit]").click();
        browser.withText(".ws-card h3", "Second project");
        assertThat(browser.visible(".add-ws").findElements(By.cssSelector(".error")))
                .isEmpty();
        // the workspace switcher offers it too
        browser.until(
                "the switcher to offer the new workspace",
                d -> d.findElements(By.cssSelector("#ws-switch option")).stream()
                        .anyMatch(o -> o.getText().equals("Second project")));
        screenshot();
    }

    @Test
    public void aCommandTaskCreatedInTheFormAndRunNowShowsItsRunAndOutputWithoutAReload() throws Exception {
        browser.open(server.url("/w/" + ws + "/tasks"));
        browser.js("window.heddleSamePage = true");
        browser.visible("#new-task").click();
        WebElement dialog = browser.visible("dialog.task-dialog");
        field(dialog, "Name").sendKeys("Say hello");
        field(dialog, "Instruction").sendKeys("Print a greeting");
        field(dialog, "Program and arguments, one per line").sendKeys("sh\n-c\necho hello-from-the-run; echo warn >&2");
        dialog.findElement(By.xpath(".//button[normalize-space()='Create']")).click();

        browser.withText(".task-title h2", "Say hello");
        browser.withText(".task-item", "Say hello");
        assertThat(driver().findElements(By.cssSelector(".runs-table"))).isEmpty();

        browser.click("[data-key=run-now]");
        browser.text(".runs-table", "continue");
        browser.click(".runs-table a[data-key^=run-]");
        assertThat(browser.text(".inspector .output-text", "hello-from-the-run"))
                .isEqualTo("hello-from-the-run");
        assertThat(browser.text(".inspector", "Error output")).contains("warn");
        assertThat(browser.js("return window.heddleSamePage"))
                .as("the page was never reloaded")
                .isEqualTo(true);
        screenshot();
    }

    @Test
    public void aTaskCanBeEditedDisabledAndDeletedAfterAConfirmation() throws Exception {
        String id = TestSupport.jsonString(
                server.call(
                                "POST",
                                "/api/workspaces/" + ws + "/heartbeat/tasks",
                                "{\"name\":\"To change\",\"task\":\"x\",\"schedule\":{\"intervalMs\":300000},\"runner\":\"command\","
                                        + "\"runnerConfig\":{\"argv\":[\"true\"]}}")
                        .body(),
                "id");
        String url = "/api/workspaces/" + ws + "/heartbeat/tasks/" + id;
        browser.open(server.url("/w/" + ws + "/tasks/" + id));
        browser.text(".task-facts", "every 5 minutes");

        browser.click("[data-key=edit]");
        WebElement dialog = browser.visible("dialog.task-dialog");
        assertThat(field(dialog, "Name").getAttribute("value")).isEqualTo("To change");
        assertThat(field(dialog, "Program and arguments, one per line").getAttribute("value"))
                .isEqualTo("true");
        field(dialog, "Name").clear();
        field(dialog, "Name").sendKeys("Changed");
        new org.openqa.selenium.support.ui.Select(field(dialog, "Schedule")).selectByVisibleText("Custom…");
        WebElement amount = browser.visible("dialog.task-dialog input[type=number]");
        amount.clear();
        amount.sendKeys("90");
        new org.openqa.selenium.support.ui.Select(dialog.findElement(By.cssSelector("select[aria-label^='Unit']")))
                .selectByVisibleText("seconds");
        dialog.findElement(By.xpath(".//button[normalize-space()='Save']")).click();
        browser.text(".task-title h2", "Changed");
        browser.text(".task-facts", "every 90 seconds");
        assertThat(server.call("GET", url, null).body())
                .contains("\"intervalMs\":90000")
                .contains("\"argv\":[\"true\"]");

        browser.click(".switch input");
        browser.text(".task-item", "disabled");
        assertThat(server.call("GET", url, null).body()).contains("\"enabled\":false");

        browser.click("[data-key=delete]");
        browser.visible("dialog .danger");
        screenshot();
        browser.click("dialog .danger");
        browser.until("the task list without it", d -> d.getCurrentUrl().endsWith("/w/" + ws + "/tasks"));
        browser.until(
                "the task to be gone from the list",
                d -> d.findElements(By.cssSelector(".task-item")).stream()
                        .noneMatch(e -> e.getText().contains("Changed")));
        assertThat(server.call("GET", url, null).statusCode()).isEqualTo(404);
    }

    @Test
    public void aChatMessageStreamsTheEnginesReplyIntoThePage() throws Exception {
        awaitChatEngine();
        browser.open(server.url("/w/" + ws + "/chat"));
        browser.click("#new-chat");
        browser.until("the new conversation", d -> d.getCurrentUrl().matches(".*/chat/cs-[0-9a-f]+$"));
        WebElement composer = browser.visible(".composer textarea");
        composer.sendKeys("Tell me in two parts");
        composer.sendKeys(Keys.ENTER);

        assertThat(browser.text(".msg-assistant.streaming", "first part"))
                .as("the first piece shows before the engine wrote the second")
                .doesNotContain("second");
        browser.text(".msg-assistant:not(.streaming)", "second");
        assertThat(browser.text(".msg-assistant:not(.streaming) strong", "first"))
                .isEqualTo("first");
        assertThat(browser.text(".msg-assistant:not(.streaming) code", "second"))
                .isEqualTo("second");
        assertThat(driver().findElements(By.cssSelector(".msg-assistant.streaming")))
                .isEmpty();
        assertThat(browser.text(".msg-user", "Tell me")).contains("Tell me in two parts");
        screenshot();
    }

    @Test
    public void aReplyIsRenderedAsMarkdownAndNeverAsHtml() throws Exception {
        awaitChatEngine();
        String session = TestSupport.jsonString(
                server.call("POST", "/api/chat/sessions", "{\"name\":\"Markdown\"}")
                        .body(),
                "id");
        browser.open(server.url("/w/" + ws + "/chat/" + session));
        WebElement composer = browser.visible(".composer textarea");
        browser.js(
                "arguments[0].value = arguments[1]",
                composer,
                String.join(
                        "\n",
                        "Some **bold** and *emphasis* and `code`.",
                        "",
                        "- a <img src=x onerror=alert(1)> item",
                        "- [a bad link](javascript:alert(1))",
                        "- [a good link](https://example.com/x)",
                        "",
                        "```",
                        "<script>alert(2)</script>",
                        "```"));
        composer.sendKeys(Keys.ENTER);

        browser.text(".msg-assistant:not(.streaming) li", "good link");
        String reply = ".msg-assistant:not(.streaming) .md ";
        assertThat(browser.text(reply + "strong", "bold")).isEqualTo("bold");
        assertThat(browser.text(reply + "em", "emphasis")).isEqualTo("emphasis");
        assertThat(browser.text(reply + "li", "item")).isEqualTo("a <img src=x onerror=alert(1)> item");
        assertThat(browser.text(reply + "pre", "script")).isEqualTo("<script>alert(2)</script>");
        assertThat(driver().findElements(By.cssSelector(".messages img, .messages script")))
                .isEmpty();
        assertThat(driver().findElements(By.cssSelector(".messages a[href^='javascript']")))
                .isEmpty();
        WebElement good = driver().findElement(By.cssSelector(reply + "a[href='https://example.com/x']"));
        assertThat(good.getAttribute("rel")).contains("noopener");
        assertThat(browser.alertOpen()).isFalse();
        screenshot();
    }

    @Test
    public void aSessionHeldByAnotherWriterSaysSoInsteadOfSending() throws Exception {
        String session = TestSupport.jsonString(
                server.call("POST", "/api/chat/sessions", "{\"name\":\"Held\"}", "Heddle-Client-Id", "another-terminal")
                        .body(),
                "id");
        browser.open(server.url("/w/" + ws + "/chat/" + session));
        browser.text(".notice", "another-terminal");
        WebElement composer = browser.visible(".composer textarea");
        composer.sendKeys("May I?");
        composer.sendKeys(Keys.ENTER);
        String refusal = browser.text(".composer-status .error", "another-terminal");
        assertThat(refusal).contains("Another writer holds this session.").contains("session_leased");
        assertThat(driver().findElements(By.cssSelector(".msg-user"))).isEmpty();
        screenshot();
    }

    /** The engine's configuration reaches the daemon through FileInstall; wait until a reply comes from it. */
    private static void awaitChatEngine() throws Exception {
        HttpResponse<String> created = server.call("POST", "/api/chat/sessions", "{\"name\":\"engine probe\"}");
        String id = TestSupport.jsonString(created.body(), "id");
        browser.until("the command chat engine to be configured", d -> {
            try {
                return server.call("POST", "/api/chat/sessions/" + id + "/messages", "{\"text\":\"probe\"}")
                        .body()
                        .contains("\"outcome\":\"completed\"");
            } catch (Exception e) {
                return false;
            }
        });
        server.call("DELETE", "/api/chat/sessions/" + id, null);
    }

    @Test
    public void anExtensionJarCopiedIntoTheFolderAppearsAndDeletingItRemovesIt() throws Exception {
        browser.open(server.url("/extensions"));
        browser.withText(".page h1", "Extensions");
        Path folder = Files.createDirectories(server.sandbox().home().resolve("extensions"));
        Path staging = Files.createDirectories(server.sandbox().home().resolve("staging"))
                .resolve("extension-hello.jar");
        Files.copy(
                Path.of(System.getProperty("heddle.exampleExtension", "target/test-extensions/extension-hello.jar")),
                staging,
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, folder.resolve("extension-hello.jar"), StandardCopyOption.ATOMIC_MOVE);

        assertThat(browser.text(".ext-card[data-file='extension-hello.jar']", "active"))
                .contains("io.heddle.examples.extension-hello")
                .contains("/api/ext/hello");
        screenshot();

        Files.delete(folder.resolve("extension-hello.jar"));
        browser.until(
                "the extension to disappear",
                d -> d.findElements(By.cssSelector(".ext-card")).isEmpty());
        browser.withText(".empty", "No extensions");
    }

    @Test
    public void aTaskNamedLikeMarkupShowsAsTextAndOpensNoDialog() throws Exception {
        HttpResponse<String> created = server.call(
                "POST",
                "/api/workspaces/" + ws + "/heartbeat/tasks",
                "{\"name\":\"" + XSS_NAME
                        + "\",\"task\":\"<script>alert(2)</script>\",\"schedule\":{\"intervalMs\":3600000},"
                        + "\"runner\":\"command\",\"runnerConfig\":{\"argv\":[\"true\"]}}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = TestSupport.jsonString(created.body(), "id");
        assertThat(server.call("POST", "/api/workspaces/" + ws + "/heartbeat/tasks/" + id + "/run", null)
                        .statusCode())
                .isEqualTo(202);
        browser.open(server.url("/w/" + ws + "/tasks/" + id));
        assertThat(browser.text(".task-title h2", "<img")).isEqualTo(XSS_NAME);
        assertThat(browser.text(".task-item", "<img")).contains(XSS_NAME);
        assertThat(browser.text(".instruction", "<script>")).isEqualTo("<script>alert(2)</script>");
        assertThat(driver().findElements(By.cssSelector("main img, main script")))
                .isEmpty();
        assertThat(browser.alertOpen()).as("an alert dialog").isFalse();
        browser.open(server.url("/"));
        assertThat(browser.text(".card a", "<img")).isEqualTo(XSS_NAME);
        assertThat(driver().findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(browser.alertOpen()).as("an alert dialog").isFalse();
        screenshot();
    }

    @Test
    public void at375PixelsNoPageScrollsSideways() throws Exception {
        HttpResponse<String> task = server.call(
                "POST",
                "/api/workspaces/" + ws + "/heartbeat/tasks",
                "{\"name\":\"A task with a rather long name that has to fit on a phone\",\"task\":\"x\","
                        + "\"schedule\":{\"intervalMs\":60000},\"runner\":\"command\",\"runnerConfig\":{\"argv\":[\"sh\",\"-c\","
                        + "\"echo a-long-line-of-output-without-any-spaces-in-it-at-all-0123456789-0123456789\"]}}");
        String taskId = TestSupport.jsonString(task.body(), "id");
        String tasks = "/api/workspaces/" + ws + "/heartbeat/tasks/" + taskId;
        server.call("POST", tasks + "/run", null);
        String runId = browser.until("a run of the task", d -> {
            try {
                String runs = server.call("GET", tasks + "/runs", null).body();
                return runs.contains("\"status\":\"finished\"") ? TestSupport.jsonString(runs, "id") : null;
            } catch (Exception e) {
                return null;
            }
        });
        String session = TestSupport.jsonString(
                server.call("POST", "/api/chat/sessions", "{\"name\":\"Phone chat\"}")
                        .body(),
                "id");

        List<String> pages = List.of(
                "/",
                "/workspaces",
                "/w/" + ws + "/tasks",
                "/w/" + ws + "/tasks/" + taskId,
                "/w/" + ws + "/tasks/" + taskId + "/runs/" + runId,
                "/w/" + ws + "/chat",
                "/w/" + ws + "/chat/" + session,
                "/extensions",
                "/events");
        browser.viewport(375, 800);
        try {
            for (String page : pages) {
                browser.open(server.url(page));
                browser.visible("main h1, main h2");
                browser.until(
                        "the page to finish loading",
                        d -> d.findElements(By.cssSelector(".loading")).isEmpty());
                long scroll = (Long) browser.js("return document.documentElement.scrollWidth");
                long client = (Long) browser.js("return document.documentElement.clientWidth");
                assertThat(client).as("viewport width").isEqualTo(375);
                assertThat(scroll).as("document width of " + page).isLessThanOrEqualTo(client);
                if (page.contains("/runs/")) {
                    screenshot();
                }
            }
            browser.open(server.url("/w/" + ws + "/tasks"));
            browser.click(".menu-btn");
            browser.visible(".sidebar .nav a");
            browser.until(
                    "the menu sheet to slide in",
                    d -> ((Number) browser.js("return document.getElementById('sidebar').getBoundingClientRect().left"))
                                    .intValue()
                            == 0);
            assertThat((Long) browser.js("return document.documentElement.scrollWidth"))
                    .isLessThanOrEqualTo(375);
            browser.screenshot(getClass().getSimpleName() + "-" + name.getMethodName() + "-menu");
        } finally {
            browser.resetViewport();
        }
    }

    @Test
    public void theEventsPageShowsTheLiveStreamWithATopicFilterAndPause() throws Exception {
        browser.open(server.url("/events"));
        browser.withText(".page h1", "Events");
        browser.until(
                "the stream to be live",
                d -> "open".equals(browser.js("return document.querySelector('.conn').dataset.state")));
        server.call("POST", "/api/chat/sessions", "{\"name\":\"event source\"}");
        browser.text(".event-name", "chat.session_created");

        browser.visible("input[type=search]").sendKeys("extensions.");
        browser.until(
                "the filter to hide other events",
                d -> d.findElements(By.cssSelector(".event-name")).isEmpty());
        browser.visible("input[type=search]").clear();
        browser.visible("input[type=search]").sendKeys("chat.");
        browser.text(".event-name", "chat.session_created");

        browser.click("button[aria-pressed]");
        int shown = driver().findElements(By.cssSelector(".event")).size();
        server.call("POST", "/api/chat/sessions", "{\"name\":\"while paused\"}");
        browser.text("main", "held back");
        assertThat(driver().findElements(By.cssSelector(".event"))).hasSize(shown);
        browser.click("button[aria-pressed=true]");
        browser.until(
                "the held event to show",
                d -> d.findElements(By.cssSelector(".event")).size() > shown);
        screenshot();
    }

    @Test
    public void aTaskCanBeCreatedWithTheKeyboardAlone() throws Exception {
        browser.open(server.url("/w/" + ws + "/tasks"));
        browser.visible("#new-task");
        Actions keys = new Actions(driver());
        for (int i = 0; i < 40 && !"new-task".equals(activeId()); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(activeId()).as("Tab reaches the New task button").isEqualTo("new-task");
        keys.sendKeys(Keys.ENTER).perform();
        browser.visible("dialog.task-dialog");
        assertThat(activeLabel()).isEqualTo("Name");
        keys.sendKeys("Typed task").perform();
        tabTo("Instruction");
        keys.sendKeys("Made with the keyboard only").perform();
        tabTo("Schedule");
        keys.sendKeys(Keys.ARROW_DOWN).perform(); // from the default, every hour, to the next preset: every 6 hours
        tabTo("Runner");
        tabTo("Program and arguments, one per line");
        keys.sendKeys("echo").sendKeys(Keys.ENTER).sendKeys("typed").perform();
        tabTo("Timeout (seconds)");
        keys.sendKeys("30").perform();
        browser.screenshot(getClass().getSimpleName() + "-" + name.getMethodName() + "-form");
        keys.sendKeys(Keys.ENTER).perform(); // Enter in a field submits the form

        browser.withText(".task-title h2", "Typed task");
        String body = server.call("GET", "/api/workspaces/" + ws + "/heartbeat/tasks", null)
                .body();
        assertThat(body)
                .contains("\"name\":\"Typed task\"")
                .contains("\"argv\":[\"echo\",\"typed\"]")
                .contains("\"timeoutMs\":30000")
                .contains("\"intervalMs\":21600000");
        screenshot();
    }

    private String activeId() {
        return (String) browser.js("return document.activeElement && document.activeElement.id");
    }

    private String activeLabel() {
        return (String)
                browser.js(
                        "const e = document.activeElement;"
                                + "return e && e.labels && e.labels.length ? e.labels[0].textContent.trim() : e.getAttribute('aria-label');");
    }

    private void tabTo(String label) {
        Actions keys = new Actions(driver());
        for (int i = 0; i < 6; i++) {
            keys.sendKeys(Keys.TAB).perform();
            if (label.equals(activeLabel())) {
                return;
            }
        }
        throw new AssertionError("Tab did not reach the field '" + label + "'; focus is on '" + activeLabel() + "'");
    }

    private static WebElement field(WebElement form, String label) {
        WebElement l = form.findElement(By.xpath(".//label[normalize-space()='" + label + "']"));
        return form.findElement(By.id(l.getAttribute("for")));
    }
}
