package io.heddle.itest.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.Assume;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (Debian's {@code chromium}) driven through Debian's
 * {@code /usr/bin/chromedriver}. Both paths are given explicitly, so Selenium Manager never
 * runs and nothing downloads a browser or a driver. Each browser gets a fresh profile folder.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final Path profile;

    /** Skips the calling test class, with the reason, when the driver is not installed. */
    static void assumeInstalled() {
        Assume.assumeTrue(
                "Browser tests need Debian's chromium-driver at " + CHROMEDRIVER
                        + " (apt-get install -y chromium chromium-driver); skipped because it is absent.",
                Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM));
    }

    Browser() {
        try {
            profile = Files.createTempDirectory("heddle-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(DEADLINE);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits (polling, with a deadline) until the condition answers something other than null or false. */
    <T> T until(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, DEADLINE, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class) // the page re-renders what changed
                .withMessage(() -> "waiting for " + what + " on " + driver.getCurrentUrl())
                .until(condition);
    }

    /** The first visible element for the selector, once there is one. */
    WebElement visible(String css) {
        return until(
                css + " to be visible",
                d -> d.findElements(By.cssSelector(css)).stream()
                        .filter(WebElement::isDisplayed)
                        .findFirst()
                        .orElse(null));
    }

    /** The first visible element for the selector whose text contains {@code text}. */
    WebElement withText(String css, String text) {
        return until(
                "'" + text + "' in " + css,
                d -> d.findElements(By.cssSelector(css)).stream()
                        .filter(e -> e.isDisplayed() && e.getText().contains(text))
                        .findFirst()
                        .orElse(null));
    }

    /** The text of the first visible element for the selector that contains {@code text}, read at once. */
    String text(String css, String text) {
        return until(
                "'" + text + "' in " + css,
                d -> d.findElements(By.cssSelector(css)).stream()
                        .filter(e -> e.isDisplayed() && e.getText().contains(text))
                        .findFirst()
                        .map(WebElement::getText)
                        .orElse(null));
    }

    /** Clicks the first visible element for the selector, again if the page re-rendered it meanwhile. */
    void click(String css) {
        until("a click on " + css, d -> {
            WebElement e = d.findElements(By.cssSelector(css)).stream()
                    .filter(WebElement::isDisplayed)
                    .findFirst()
                    .orElse(null);
            if (e == null) {
                return false;
            }
            e.click();
            return true;
        });
    }

    /** Emulates a phone-sized viewport. */
    void viewport(int width, int height) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
    }

    void resetViewport() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    boolean alertOpen() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    /** Saves a PNG of the viewport under itest/target/screenshots/. */
    Path screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("heddle.screenshots", "target/screenshots")));
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = dir.resolve(name + ".png");
            Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot.toPath());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }
}
