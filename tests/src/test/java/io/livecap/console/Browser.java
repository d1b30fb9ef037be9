package io.livecap.console;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A headless Debian chromium driven through chromedriver, for the console's browser tests. Skips the test when
 * chromium or chromedriver is not installed ({@code apt-get install chromium chromium-driver}); never downloads one.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Where the screenshots go: kept as CI artifacts. */
    static final Path SHOTS = Path.of("tests/target/console-screenshots");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser open() {
        assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "skipped: the console's browser tests need chromium and chromedriver (apt-get install chromium "
                        + "chromium-driver): " + CHROMIUM + " / " + CHROMEDRIVER + " not found");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,1000", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    void go(String url) {
        driver.get(url);
    }

    /** The text of the element with this id, or "" when there is none (yet). */
    String text(String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    String css(String selector) {
        List<WebElement> found = driver.findElements(By.cssSelector(selector));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    String attribute(String id, String name) {
        List<WebElement> found = driver.findElements(By.id(id));
        return found.isEmpty() ? null : found.get(0).getDomAttribute(name);
    }

    /** Waits for a condition on the page (polling it every 50 ms); fails with what was seen last. */
    void await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                try {
                    screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
                } catch (Exception e) {
                    // the assertion below says what went wrong; a missing screenshot is no news
                }
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; the page shows: " + driver.findElement(By.tagName("body")).getText() + "; errors: "
                        + driver.executeScript("return window.consoleErrors || []"));
            }
            Thread.sleep(50); // polling what the page shows, with a deadline
        }
    }

    /** An element read while the page replaced it is not an answer yet: the next poll reads the new one. */
    private static boolean holds(Supplier<Boolean> condition) {
        try {
            return Boolean.TRUE.equals(condition.get());
        } catch (StaleElementReferenceException e) {
            return false;
        }
    }

    /** Saves what the browser shows as {@code tests/target/console-screenshots/<name>.png}. */
    Path screenshot(String name) throws Exception {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SHOTS);
        Path to = SHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
