package org.xmpproxy.openfire.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Openfire's admin console, logged in as the admin, for the plugin's settings page. */
record AdminConsole(HttpClient http, CookieManager cookies, String base) {
    static AdminConsole login(OpenfireServer server) throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NORMAL).build();
        String base = "http://" + server.host + ":" + server.adminPort;
        http.send(HttpRequest.newBuilder(URI.create(base + "/login.jsp")).build(), HttpResponse.BodyHandlers.ofString());
        AdminConsole console = new AdminConsole(http, cookies, base);
        String body = console.post("/login.jsp", "login=true&username=admin&password=" + OpenfireServer.ADMIN_PASSWORD
                + "&csrf=" + console.cookie("csrf"));
        assertTrue(body.contains("logout=true"), "logged in to the admin console of " + server.host);
        return console;
    }

    String page() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/plugins/xmpproxy/xmpproxy-admin")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Saves one server setting on the page, as an admin does. */
    void set(String key, String value) throws Exception {
        page(); // issues the page's CSRF cookie
        String body = post("/plugins/xmpproxy/xmpproxy-admin", "action=settings&" + key + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&csrf=" + cookie("xmpproxy_csrf"));
        assertTrue(body.contains("Settings saved."), "saved " + key);
    }

    private String post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .reduce((first, second) -> second).map(HttpCookie::getValue)
                .orElseThrow(() -> new AssertionError("no " + name + " cookie"));
    }

    /** A counter the plugin's page shows, by the start of its label. */
    static long counter(String page, String label) {
        Matcher matcher = Pattern.compile("<td>" + Pattern.quote(label) + "[^<]*</td><td class=\"counter\">(\\d+)</td>").matcher(page);
        assertTrue(matcher.find(), "the admin page shows " + label);
        return Long.parseLong(matcher.group(1));
    }
}
