package io.livecap.console;

import io.livecap.node.LivecapNode;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing in and out of the console in a real browser, with credentials on. */
class LoginBrowserTest {

    @Test
    void theLoginFormLetsAnOperatorInAndSignOutLetsHimOut() throws Exception {
        try (Browser browser = Browser.open();
             LivecapNode node = LivecapNode.start(TestConfig.secured(), TestEngines.pocketsphinx())) {
            String base = "http://127.0.0.1:" + node.port();
            browser.go(base + "/");
            browser.await("the login form", Duration.ofSeconds(10), () -> !browser.text("sign-in").isEmpty());

            browser.driver().findElement(By.id("key")).sendKeys("lc_not-a-key");
            browser.driver().findElement(By.id("sign-in")).click();
            browser.await("the refusal", Duration.ofSeconds(10), () -> browser.text("refused").contains("refused"));

            browser.driver().findElement(By.id("key")).sendKeys(node.firstAdminKey().orElseThrow());
            browser.driver().findElement(By.id("sign-in")).click();
            browser.await("the streams page", Duration.ofSeconds(10), () -> browser.text("link").equals("live"));
            assertTrue(browser.driver().manage().getCookieNamed("livecap_console").isHttpOnly());
            assertTrue(browser.text("no-streams").contains("No live"), browser.text("no-streams"));
            browser.screenshot("streams-empty");

            browser.driver().findElement(By.id("sign-out")).click();
            browser.await("the login form again", Duration.ofSeconds(10), () -> !browser.text("sign-in").isEmpty());
            browser.go(base + "/");
            browser.await("still signed out", Duration.ofSeconds(10), () -> !browser.text("sign-in").isEmpty());
        }
    }
}
