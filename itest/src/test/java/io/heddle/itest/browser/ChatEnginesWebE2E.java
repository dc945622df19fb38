package io.heddle.itest.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.itest.TestSupport;
import io.heddle.itest.support.FakeModelProvider;
import io.heddle.itest.support.FakeModelProvider.Answer;
import io.heddle.itest.support.FakeModelProvider.Ending;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Model engines in the web UI, in real Chromium against the real distribution: a daemon with
 * two engines configured in {@code etc/}, one answered by the loopback fake provider and one
 * whose key file others can read (so it has a problem). The engine picker, the Stop button,
 * and the agent runner's form of the task editor.
 */
public class ChatEnginesWebE2E extends BrowserTestBase {

    private static FakeModelProvider provider;

    @BeforeClass
    public static void startServerAndBrowser() throws Exception {
        Browser.assumeInstalled();
        provider = FakeModelProvider.start();
        startServerAndBrowser("web-engines", home -> {
            Files.writeString(
                    home.resolve("etc/io.heddle.chat.engine.openai-local.cfg"),
                    "baseUrl=" + provider.openAiBaseUrl() + "\nmodel=fake-model\nranking=10\n");
            Path key = home.resolve("anthropic.key");
            Files.writeString(key, "sk-ant-not-a-real-key\n");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(
                    home.resolve("etc/io.heddle.chat.engine.anthropic-claude.cfg"),
                    "baseUrl=" + provider.anthropicBaseUrl() + "\nmodel=claude-fake\napiKeyFile=" + key + "\n");
        });
        browser.until("the daemon lists both engines from etc/", d -> {
            try {
                String engines = server.call("GET", "/api/chat/engines", null).body();
                return engines.contains("\"name\":\"local\"") && engines.contains("\"name\":\"claude\"");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterClass
    public static void stopProvider() {
        // runs before the base closes the browser and the server; the server makes no call after its tests
        if (provider != null) {
            provider.close();
        }
    }

    private void screenshot(String moment) {
        browser.screenshot("ChatEnginesWebE2E-" + name.getMethodName() + "-" + moment);
    }

    private static String newSession(String title) throws Exception {
        return TestSupport.jsonString(
                server.call("POST", "/api/chat/sessions", "{\"name\":\"" + title + "\"}")
                        .body(),
                "id");
    }

    private static List<String> optionTexts(WebElement select) {
        return new Select(select).getOptions().stream().map(WebElement::getText).collect(Collectors.toList());
    }

    @Test
    public void thePickerListsTheEnginesAndTheChosenOneAnswers() throws Exception {
        String session = newSession("Picked engine");
        browser.open(server.url("/w/" + ws + "/chat/" + session));
        WebElement picker = browser.visible(".engine-row select");
        browser.until(
                "the engines in the picker",
                d -> optionTexts(browser.visible(".engine-row select")).size() == 3);
        assertThat(optionTexts(browser.visible(".engine-row select")))
                .containsExactly(
                        "Default (local)",
                        "local — openai · fake-model",
                        "claude — anthropic · claude-fake (not usable)");
        assertThat(new Select(picker).getFirstSelectedOption().getAttribute("value"))
                .isEmpty();

        new Select(browser.visible(".engine-row select")).selectByValue("local");
        browser.until("the session to name the engine", d -> {
            try {
                return server.call("GET", "/api/chat/sessions/" + session, null)
                        .body()
                        .contains("\"engine\":\"local\"");
            } catch (Exception e) {
                return false;
            }
        });

        provider.enqueue(Answer.reply("Forty", "-two", " is the answer."));
        WebElement input = browser.visible(".composer textarea");
        input.sendKeys("What is the answer, picker?");
        input.sendKeys(Keys.ENTER);
        browser.withText(".msg-assistant:not(.streaming)", "Forty-two is the answer.");
        assertThat(provider.requests())
                .anyMatch(r -> r.path().endsWith("/chat/completions")
                        && r.body().contains("What is the answer, picker?")
                        && r.body().contains("fake-model"));
        assertThat(new Select(browser.visible(".engine-row select"))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("local");
        screenshot("answered");
    }

    @Test
    public void stopEndsAStreamingReplyAndThePartialReplyAndTheNoticeShow() throws Exception {
        String session = newSession("Stopped reply");
        browser.open(server.url("/w/" + ws + "/chat/" + session));
        browser.visible(".engine-row select");
        assertThat(driverFind(".composer .stop")).noneMatch(WebElement::isDisplayed);

        provider.enqueue(Answer.reply("A partial ", "answer that never ends").then(Ending.STALL));
        WebElement input = browser.visible(".composer textarea");
        input.sendKeys("Tell me a long story");
        input.sendKeys(Keys.ENTER);
        browser.withText(".msg-assistant.streaming", "A partial answer that never ends");
        assertThat(driverFind(".composer .send")).noneMatch(WebElement::isDisplayed);
        screenshot("streaming"); // the Stop button in place of Send
        browser.click(".composer .stop");

        browser.withText(".msg-system", "stopped on request");
        browser.withText(".msg-assistant:not(.streaming)", "A partial answer that never ends");
        browser.withText(".composer-status", "Reply stopped");
        browser.visible(".composer .send");
        assertThat(driverFind(".composer .stop")).noneMatch(WebElement::isDisplayed);
        assertThat(driverFind(".msg-assistant.streaming")).isEmpty();
        String stored =
                server.call("GET", "/api/chat/sessions/" + session, null).body();
        assertThat(stored).contains("A partial answer that never ends", "stopped on request");
        screenshot("stopped");
    }

    @Test
    public void anEngineWithAProblemShowsItsProblemInThePickerAndTheTaskForm() throws Exception {
        String session = newSession("Broken engine");
        browser.open(server.url("/w/" + ws + "/chat/" + session));
        browser.until(
                "the engines in the picker",
                d -> optionTexts(browser.visible(".engine-row select")).size() == 3);
        new Select(browser.visible(".engine-row select")).selectByValue("claude");
        String problem = browser.text(".engine-row .engine-problem", "can be read by others");
        assertThat(problem)
                .contains("Engine “claude” cannot answer", "chmod 600")
                .doesNotContain("sk-ant-not-a-real-key");
        screenshot("picker");

        browser.open(server.url("/w/" + ws + "/tasks"));
        browser.click("#new-task");
        WebElement runner = browser.visible(".task-form select[name=runner]");
        assertThat(optionTexts(runner)).contains("agent", "command");
        new Select(runner).selectByValue("agent");
        WebElement engine = browser.visible(".task-form select[name=engine]");
        assertThat(optionTexts(engine))
                .containsExactly(
                        "Highest-ranked (now local)",
                        "local — openai · fake-model",
                        "claude — anthropic · claude-fake (not usable)");
        new Select(engine).selectByValue("claude");
        assertThat(browser.text(".task-form .engine-problem", "can be read by others"))
                .contains("Engine “claude” cannot answer");
        screenshot("task-form-problem");

        // the chosen engine goes into the task's runnerConfig
        browser.visible(".task-form input[name=name]").sendKeys("Ask the model");
        browser.visible(".task-form textarea[name=task]").sendKeys("Say whether the build is green.");
        new Select(browser.visible(".task-form select[name=engine]")).selectByValue("local");
        browser.until(
                "no problem shown for a usable engine",
                d -> d.findElements(By.cssSelector(".task-form .engine-problem *"))
                        .isEmpty());
        browser.visible(".task-form input[type=checkbox]").click(); // disabled: it must not ask the provider now
        screenshot("task-form");
        browser.click(".task-form button[value=create]");
        browser.until("the created task", d -> d.getCurrentUrl().matches(".*/tasks/[^/]+$"));
        String tasks = server.call("GET", "/api/workspaces/" + ws + "/heartbeat/tasks", null)
                .body();
        assertThat(tasks).contains("\"name\":\"Ask the model\"", "\"runner\":\"agent\"", "\"engine\":\"local\"");
    }

    @Test
    public void theOverviewShowsTheLiveRecordsFreshness() throws Exception {
        String serverId = TestSupport.jsonString(
                server.call("GET", "/api/runtime-host", null).body(), "serverId");
        browser.open(server.url("/"));
        String freshness = browser.text(".record-freshness", "fresh");
        assertThat(freshness).contains("heartbeat").contains("old when asked");
        assertThat(browser.text(".card-body", "Held by")).contains(serverId);
        screenshot("overview");
        // the Live record card alone, for docs/web.md
        WebElement card = browser.until(
                "the Live record card",
                d -> d.findElements(By.cssSelector(".record-freshness")).stream()
                        .findFirst()
                        .map(e -> e.findElement(
                                By.xpath("ancestor::section[contains(concat(' ', @class, ' '), ' card ')][1]")))
                        .orElse(null));
        Path shot = card.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath();
        Path dir = Files.createDirectories(Path.of(System.getProperty("heddle.screenshots", "target/screenshots")));
        Files.copy(
                shot,
                dir.resolve("ChatEnginesWebE2E-" + name.getMethodName() + "-card.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(shot);
    }

    private static List<WebElement> driverFind(String css) {
        return browser.driver().findElements(By.cssSelector(css));
    }
}
