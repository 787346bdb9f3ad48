package org.xmpproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.Direction;
import org.xmpproxy.store.HistoryEntry;
import org.xmpproxy.store.HistoryStore;
import org.xmpproxy.store.SettingsStore;
import org.xmpproxy.store.StoreWriter;
import org.xmpproxy.store.StoredSettings;

/**
 * The admin page in Jetty 12 (ee8, as in Openfire 5.1) with the store on HSQLDB, driven by Debian's
 * headless Chromium as an admin would use it. Every click or submit that loads another page goes
 * through {@link #toNextPage}: nothing is looked at before the new page replaced the old one, so no
 * assertion runs before the server has handled the request.
 */
class AdminPageBrowserTest {
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static WebDriver browser;

    private Server jetty;
    private String url;
    private TestAdminBackend backend;
    private StoreWriter writer;
    private StoredSettings settings;

    @BeforeAll
    static void startBrowser() {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            String reason = "no " + CHROMIUM + " / " + CHROMEDRIVER + " (Debian chromium, chromium-driver): admin page browser tests skipped";
            if (Boolean.getBoolean("xmpproxy.test.requireBrowser")) {
                fail(reason);
            }
            System.out.println("SKIPPED " + reason);
            Assumptions.abort(reason);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,2000", "--lang=en");
        // The driver returns from every navigation and click at once, without waiting for any page:
        // each step waits for its own condition (toNextPage, open), so no step depends on how long
        // a driver happens to wait, and a step that forgot to wait fails every time, not once in a while.
        options.setPageLoadStrategy(PageLoadStrategy.NONE);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        var db = org.xmpproxy.store.TestDatabaseAccess.freshHsqldb();
        writer = new StoreWriter(db, new HistoryStore(org.xmpproxy.store.TestIds.BLOCKS), 1000, 100, Duration.ofMinutes(1), Clock.systemUTC());
        settings = new StoredSettings(db, new SettingsStore(), writer);
        settings.load();
        backend = new TestAdminBackend(settings, db);
        backend.users.addAll(List.of("john", "jane", "joe"));
        for (int i = 0; i < 60; i++) {
            backend.users.add(String.format("user%02d", i));
        }
        backend.online.put("john", List.of(new AdminBackend.ResourceRow("<script>alert(1)</script>", "legacy", false),
                new AdminBackend.ResourceRow("laptop", "auto", true)));
        for (int i = 0; i < 3; i++) {
            writer.offer(new HistoryEntry(0, "john", 1000 + i, Direction.RECEIVED, "jane@example.org", true, "<message/>"));
        }
        writer.flush(Duration.ofSeconds(5));
        AdminConsole.install(backend);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/plugins/xmpproxy");
        context.addServlet(AdminServlet.class, "/xmpproxy-admin");
        jetty.setHandler(context);
        jetty.start();
        url = "http://127.0.0.1:" + connector.getLocalPort() + "/plugins/xmpproxy/xmpproxy-admin";
    }

    @AfterEach
    void stopServer() throws Exception {
        AdminConsole.uninstall();
        jetty.stop();
        writer.close();
    }

    private Select select(String key) {
        return new Select(browser.findElement(By.id(key.replace('.', '-'))));
    }

    private WebElement field(String key) {
        return browser.findElement(By.id(key.replace('.', '-')));
    }

    @Test
    void everySettingCanBeChangedAndIsApplied() throws Exception {
        open(url);
        assertEquals("xmpproxy-settings", browser.findElement(By.cssSelector("meta[name=pageID]")).getAttribute("content"));
        select("xmpproxy.enabled").selectByValue("false");
        select("xmpproxy.enrollment").selectByValue("opt-in");
        select("xmpproxy.resource.defaultMode").selectByValue("legacy");
        type("xmpproxy.legacy.sentPrefix", "» me: ");
        type("xmpproxy.catchup.maxCount", "250");
        type("xmpproxy.catchup.maxAge", "48");
        type("xmpproxy.catchup.newResourceCount", "5");
        select("xmpproxy.history.enabled").selectByValue("false");
        type("xmpproxy.history.maxPerAccount", "5000");
        type("xmpproxy.history.maxAge", "100");
        type("xmpproxy.history.maxStanzaChars", "1024");
        type("xmpproxy.replay.default", "10");
        type("xmpproxy.replay.max", "50");
        type("xmpproxy.resource.maxIdleDays", "14");
        type("xmpproxy.resource.maxPerAccount", "20");
        type("xmpproxy.bot.subdomain", "bot");
        select("xmpproxy.bot.rosterAutoAdd").selectByValue("false");
        toNextPage(() -> browser.findElement(By.id("save-settings")).click());

        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Settings saved."));
        assertEquals("false", backend.values.get("xmpproxy.enabled"));
        assertEquals("opt-in", backend.values.get("xmpproxy.enrollment"));
        assertEquals("legacy", backend.values.get("xmpproxy.resource.defaultMode"));
        assertEquals("» me: ", backend.values.get("xmpproxy.legacy.sentPrefix"));
        assertEquals("250", backend.values.get("xmpproxy.catchup.maxCount"));
        assertEquals("48", backend.values.get("xmpproxy.catchup.maxAge"));
        assertEquals("5", backend.values.get("xmpproxy.catchup.newResourceCount"));
        assertEquals("false", backend.values.get("xmpproxy.history.enabled"));
        assertEquals("5000", backend.values.get("xmpproxy.history.maxPerAccount"));
        assertEquals("100", backend.values.get("xmpproxy.history.maxAge"));
        assertEquals("1024", backend.values.get("xmpproxy.history.maxStanzaChars"));
        assertEquals("10", backend.values.get("xmpproxy.replay.default"));
        assertEquals("50", backend.values.get("xmpproxy.replay.max"));
        assertEquals("bot", backend.values.get("xmpproxy.bot.subdomain"));
        assertEquals("false", backend.values.get("xmpproxy.bot.rosterAutoAdd"));
        assertEquals("14", backend.values.get("xmpproxy.resource.maxIdleDays"));
        assertEquals("20", backend.values.get("xmpproxy.resource.maxPerAccount"));
        assertEquals(17, backend.changes.size(), "only changed values are stored: " + backend.changes);
        assertEquals("250", field("xmpproxy.catchup.maxCount").getAttribute("value"), "the page shows what is stored");
    }

    /** In an Openfire cluster: each counter summed over the nodes that report, then each node's own (issue 18). */
    @Test
    void inAClusterEachCounterIsSummedOverTheNodesAndEachNodesOwnIsShown() {
        open(url);
        List<String> alone = browser.findElements(By.cssSelector("#counters tr")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("Plain copies of received messages 42", "Catch-ups 7"), alone, "a server alone: as before");

        backend.otherNodes.put("node2.example.org (b2)", Map.of("counter.legacyReceived", 8L)); // a node of another version: no catch-ups counter
        open(url);
        List<String> rows = browser.findElements(By.cssSelector("#counters tr")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("All nodes (2 of 2 report) node1.example.org node2.example.org (b2)",
                "Plain copies of received messages 50 42 8", "Catch-ups 7 7 –"), rows);
    }

    @Test
    void invalidValuesGetClearMessagesAndNothingIsSaved() {
        open(url);
        type("xmpproxy.catchup.maxCount", "lots");
        type("xmpproxy.bot.subdomain", "Not A Label!");
        type("xmpproxy.history.maxStanzaChars", "10000000");
        type("xmpproxy.history.maxPerAccount", "0");
        type("xmpproxy.legacy.sentPrefix", " ");
        select("xmpproxy.enrollment").selectByValue("opt-in");
        toNextPage(() -> browser.findElement(By.id("save-settings")).click());
        assertTrue(browser.findElement(By.id("jive-error")).getText().contains("nothing was saved"));
        assertTrue(browser.findElement(By.id("xmpproxy-catchup-maxCount-error")).getText().contains("whole number from 0-10000"));
        assertTrue(browser.findElement(By.id("xmpproxy-bot-subdomain-error")).getText().contains("DNS label"));
        assertTrue(browser.findElement(By.id("xmpproxy-history-maxStanzaChars-error")).getText().contains("whole number from 0-262144"));
        assertTrue(browser.findElement(By.id("xmpproxy-history-maxPerAccount-error")).getText().contains("whole number from 1-1000000"));
        assertTrue(browser.findElement(By.id("xmpproxy-legacy-sentPrefix-error")).getText().contains("Enter a visible marker"),
                "an empty marker: own lines and a contact's could not be told apart");
        assertEquals(List.of(), backend.changes);
        assertEquals("lots", field("xmpproxy.catchup.maxCount").getAttribute("value"), "what the admin typed stays to be fixed");
    }

    @Test
    void theReplayDefaultCannotExceedTheReplayMaximum() {
        open(url);
        type("xmpproxy.replay.default", "1500");
        toNextPage(() -> browser.findElement(By.id("save-settings")).click());
        assertTrue(browser.findElement(By.id("jive-error")).getText().contains("nothing was saved"));
        assertTrue(browser.findElement(By.id("xmpproxy-replay-default-error")).getText().contains("At most the replay maximum (1,000)"));
        assertEquals(List.of(), backend.changes);

        type("xmpproxy.replay.max", "1500");
        toNextPage(() -> browser.findElement(By.id("save-settings")).click());
        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Settings saved."));
        assertEquals(List.of("xmpproxy.replay.default=1500", "xmpproxy.replay.max=1500"), backend.changes);
        assertEquals(List.of("xmpproxy: set xmpproxy.replay.default (xmpproxy.replay.default = 1500)",
                "xmpproxy: set xmpproxy.replay.max (xmpproxy.replay.max = 1500)"), backend.audited,
                "each change in the server's audit log, what was refused not");
    }

    @Test
    void anAccountNameThatCannotBeAnAccountIsRefusedAndNothingIsWritten() {
        for (String name : List.of("x".repeat(65), "jo\u0007hn", "bad\nname")) {
            postAccountChoiceFor(name);
            assertTrue(browser.findElement(By.id("jive-error")).getText().contains("Not a valid account name"), name);
        }
        backend.lengthsInBytes = true; // Oracle, DB2
        String swedish = "å".repeat(40); // 40 characters, 80 bytes
        postAccountChoiceFor(swedish);
        assertTrue(browser.findElement(By.id("jive-error")).getText().contains("at most 64 characters"));
        assertEquals(List.of(), settings.accountsWithChoices(), "nothing written");
        assertEquals(List.of(), backend.changes);

        backend.lengthsInBytes = false;
        postAccountChoiceFor(swedish);
        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Account updated."), "fits a column counted in characters");
        assertEquals(List.of(swedish), settings.accountsWithChoices());
    }

    /** Issue 17.8: a name is taken as Openfire names the account (nodeprep); what cannot be one: 400, a message, nothing done. */
    @Test
    void accountNamesAreTakenAsOpenfireNamesThemAndWhatCannotBeOneIsRefused() throws Exception {
        for (String name : List.of("a b", "a@b")) {
            postAccountChoiceFor(name);
            assertTrue(browser.findElement(By.id("jive-error")).getText().contains("Not a valid account name: no spaces"), name);
        }
        HttpClient client = HttpClient.newHttpClient();
        for (String form : List.of("action=account&mirroring=off&user=a+b", "action=account&mirroring=off&user=a%40b",
                "action=accountSettings&catchup.count=5&user=a+b", "action=accountSettings&catchup.count=5&user=john%40example.org")) {
            HttpResponse<String> shown = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            String token = shown.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0].split("=", 2)[1];
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", AdminServlet.CSRF_COOKIE + "=" + token)
                    .POST(HttpRequest.BodyPublishers.ofString(form + "&csrf=" + token)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode(), form);
            assertTrue(refused.body().contains("Not a valid account name"), form);
        }
        assertEquals(List.of(), settings.accountsWithChoices(), "nothing written");
        assertEquals(List.of(), backend.audited, "nothing done, nothing in the audit log");

        postAccountChoiceFor("John");
        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Account updated."));
        assertEquals(Optional.of(false), settings.mirroring(new JID("john@example.org")), "the account Openfire calls john");
        assertEquals(List.of("john"), settings.accountsWithChoices());
        assertEquals(List.of("xmpproxy: mirroring of john set to off"), backend.audited);
    }

    /** The "Off" form of john's row, its account name replaced (as a hand-made request would), submitted. */
    private void postAccountChoiceFor(String username) {
        open(url + "?q=john");
        WebElement off = johnRow().findElement(By.cssSelector("input[type=submit][value=Off]"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].form.querySelector('input[name=user]').value = arguments[1];",
                off, username);
        toNextPage(off::click);
    }

    @Test
    void aForgedPostWithoutTheTokenChangesNothing() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String form = "action=settings&xmpproxy.enabled=false&csrf=guessed";
        HttpResponse<String> forged = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", AdminServlet.CSRF_COOKIE + "=other")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode());
        HttpResponse<String> noToken = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=account&user=john&mirroring=off")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noToken.statusCode());
        assertEquals(List.of(), backend.changes);
        assertEquals(List.of(), backend.audited);
        assertEquals(Optional.empty(), settings.mirroring(new JID("john@example.org")));
        assertEquals("true", backend.values.get("xmpproxy.enabled"));
    }

    @Test
    void aHostileResourceNameShowsAsText() {
        open(url + "?q=john");
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
        String accounts = browser.findElement(By.id("accounts")).getText();
        assertTrue(accounts.contains("<script>alert(1)</script>: legacy"), accounts);
        assertTrue(browser.getPageSource().contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(accounts.contains("laptop: auto, carbons"));
    }

    @Test
    void accountsAreSearchedPagedAndOverriddenWithTheirHistorySize() throws Exception {
        open(url);
        assertTrue(browser.getPageSource().contains("63 accounts (page 1 of 3)"));
        toNextPage(() -> browser.findElement(By.linkText("2")).click());
        assertTrue(browser.getPageSource().contains("(page 2 of 3)"));
        browser.findElement(By.id("search")).sendKeys("jo");
        toNextPage(() -> browser.findElement(By.id("search")).submit());
        String table = browser.findElement(By.id("accounts")).getText();
        assertTrue(table.contains("john") && table.contains("joe") && !table.contains("jane"), table);
        assertEquals(List.of("john", "yes", "server default", "3"), cells(johnRow(), 0, 1, 2, 4), "history size from the database");

        toNextPage(() -> johnRow().findElement(By.cssSelector("input[type=submit][value=Off]")).click());
        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Account updated."));
        assertEquals(Optional.of(false), settings.mirroring(new JID("john@example.org")));
        assertEquals(List.of("john", "no", "off"), cells(johnRow(), 0, 1, 2), "the search is kept and the row shows the override");

        toNextPage(() -> johnRow().findElement(By.cssSelector("input[type=submit][value=Default]")).click());
        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Account updated."));
        assertEquals(Optional.empty(), settings.mirroring(new JID("john@example.org")));
        assertEquals(List.of("john", "yes", "server default"), cells(johnRow(), 0, 1, 2));
        assertEquals(List.of("xmpproxy: mirroring of john set to off", "xmpproxy: mirroring of john set to default"), backend.audited);
        assertTrue(writer.flush(Duration.ofSeconds(5)));
    }

    /** Issue 10: an admin sets an account's own catch-up limits on its row, within the server maximum, and "default" clears them. */
    @Test
    void anAccountsCatchupLimitsAreSetOnItsRowWithinTheServerMaximum() throws Exception {
        JID john = new JID("john@example.org");
        open(url + "?q=john");
        assertEquals(List.of("default", "default"), List.of(johnsField("catchup.count").getAttribute("value"),
                johnsField("catchup.age").getAttribute("value")), "no own limits: the server's apply");
        assertTrue(cells(johnRow(), 7).get(0).contains("(now 500)") && cells(johnRow(), 7).get(0).contains("(now 24)"),
                "what john gets now: " + cells(johnRow(), 7));

        setJohns("catchup.count", "700");
        setJohns("catchup.age", "72");
        toNextPage(() -> johnsField("catchup.count").submit());
        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Account updated."));
        assertEquals(700, settings.account("john").catchupCount(), "more than the server's 500: an account may, up to the maximum");
        assertEquals(72 * 3600L, settings.account("john").catchupAgeSeconds());
        assertEquals("700", johnsField("catchup.count").getAttribute("value"), "the search is kept and the row shows the limits");
        assertTrue(cells(johnRow(), 7).get(0).contains("(now 700)"), cells(johnRow(), 7).toString());

        setJohns("catchup.count", "10001");
        setJohns("catchup.age", "1");
        toNextPage(() -> johnsField("catchup.count").submit());
        String error = browser.findElement(By.id("jive-error")).getText();
        assertTrue(error.contains("Catch-up: most messages of john") && error.contains("from 0 to 10000 (the server maximum)")
                && error.contains("Nothing was changed"), error);
        assertEquals(700, settings.account("john").catchupCount(), "nothing changed");
        assertEquals(72 * 3600L, settings.account("john").catchupAgeSeconds(), "not the valid field either");
        assertEquals(List.of("catchup.count:john=700", "catchup.age:john=72"), backend.changes);

        open(url + "?q=john");
        setJohns("catchup.count", "default");
        toNextPage(() -> johnsField("catchup.count").submit());
        assertTrue(browser.findElement(By.id("jive-success")).getText().contains("Account updated."));
        assertEquals(Optional.empty(), settings.own(john, org.xmpproxy.core.settings.Settings.CATCHUP_COUNT), "dropped: the server's again");
        assertEquals(72 * 3600L, settings.account("john").catchupAgeSeconds(), "the age stays john's own");
        assertEquals("default", johnsField("catchup.count").getAttribute("value"));
        assertTrue(cells(johnRow(), 7).get(0).contains("(now 500)"), cells(johnRow(), 7).toString());
        assertTrue(writer.flush(Duration.ofSeconds(5)));
    }

    private static WebElement johnsField(String name) {
        return johnRow().findElement(By.name(name));
    }

    private static void setJohns(String name, String value) {
        WebElement input = johnsField(name);
        input.clear();
        input.sendKeys(value);
    }

    @Test
    void thePageIsInSwedishWhenTheConsoleIsAndAScreenshotIsSaved() throws Exception {
        open(url + "?q=john");
        Path shot = Path.of("target/admin-page.png");
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(shot) > 10_000, "a screenshot of the page: " + shot.toAbsolutePath());
        backend.locale = java.util.Locale.forLanguageTag("sv");
        open(url);
        assertTrue(browser.getPageSource().contains("Spara inställningar"));
        assertFalse(browser.getPageSource().contains("Save Settings"));
    }

    /**
     * Does what makes the browser load another page (a click on a link or a submit button, a form
     * submitted), then waits until that page has replaced this one and finished loading. A POST is
     * answered (and so handled) before its redirect's page can replace the old one.
     */
    private static void open(String address) {
        toNextPage(() -> browser.get(address));
    }

    private static void toNextPage(Runnable action) {
        WebElement oldPage = browser.findElement(By.tagName("html"));
        action.run();
        WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);
        wait.until(driver -> replaced(oldPage));
        wait.until(driver -> "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    /**
     * Whether the page an element was part of has been replaced: the driver says the element is stale,
     * or (Chromium, asked while it swaps documents) that its node is not part of the document shown.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    private static WebElement johnRow() {
        return browser.findElements(By.cssSelector("#accounts tbody tr")).stream()
                .filter(row -> row.findElement(By.tagName("td")).getText().equals("john")).findFirst().orElseThrow();
    }

    private static List<String> cells(WebElement row, int... columns) {
        List<WebElement> cells = row.findElements(By.tagName("td"));
        return java.util.Arrays.stream(columns).mapToObj(i -> cells.get(i).getText().trim()).toList();
    }

    private void type(String key, String value) {
        WebElement input = field(key);
        input.clear();
        input.sendKeys(value);
    }
}
