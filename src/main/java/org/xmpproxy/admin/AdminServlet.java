package org.xmpproxy.admin;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.Settings;

/**
 * The xmpproxy page of Openfire's admin console (Server &gt; Server Settings &gt; xmpproxy). Openfire's
 * AuthCheckFilter lets only admins reach it. Every change is a POST carrying the token of Openfire's
 * cookie convention for CSRF: the form's {@code csrf} field must equal the {@value #CSRF_COOKIE}
 * cookie set when the page was shown. After a change the browser is redirected (POST/redirect/GET).
 */
public class AdminServlet extends HttpServlet {
    static final String CSRF_COOKIE = "xmpproxy_csrf";
    static final int PAGE_SIZE = 25;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AdminBackend backend = AdminConsole.backend();
        if (backend == null) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "xmpproxy is not running");
            return;
        }
        AdminPage page = page(request, backend);
        String saved = request.getParameter("saved");
        if ("settings".equals(saved)) {
            page.success("admin.saved.settings");
        } else if ("account".equals(saved)) {
            page.success("admin.saved.account");
        }
        render(request, response, page, HttpServletResponse.SC_OK);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding("UTF-8");
        AdminBackend backend = AdminConsole.backend();
        if (backend == null) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "xmpproxy is not running");
            return;
        }
        AdminPage page = page(request, backend);
        if (!csrfMatches(request)) {
            page.error("admin.error.csrf");
            render(request, response, page, HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        String action = request.getParameter("action");
        if ("settings".equals(action)) {
            saveSettings(request, response, backend, page);
        } else if ("account".equals(action)) {
            saveAccount(request, response, backend, page);
        } else if ("accountSettings".equals(action)) {
            saveAccountSettings(request, response, backend, page);
        } else {
            page.error("admin.error.action");
            render(request, response, page, HttpServletResponse.SC_BAD_REQUEST);
        }
    }

    /** Checks every field first; stores nothing unless all are valid. */
    private void saveSettings(HttpServletRequest request, HttpServletResponse response, AdminBackend backend, AdminPage page)
            throws IOException {
        Map<String, String> entered = new LinkedHashMap<>();
        Map<String, SettingDefinition.Problem> problems = new LinkedHashMap<>();
        for (SettingDefinition definition : SettingDefinition.ALL) {
            String value = request.getParameter(definition.key());
            if (value == null) {
                continue; // not on the submitted form: unchanged
            }
            entered.put(definition.key(), value);
            definition.check(value).ifPresent(problem -> problems.put(definition.key(), problem));
        }
        if (problems.isEmpty()) {
            problems.putAll(SettingDefinition.checkTogether(key -> entered.getOrDefault(key, backend.value(key))));
        }
        if (!problems.isEmpty()) {
            page.withEntered(entered, problems);
            page.error("admin.error.settings");
            render(request, response, page, HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        entered.forEach((key, value) -> {
            String normalised = SettingDefinition.byKey(key).orElseThrow().normalise(value);
            if (!normalised.equals(backend.value(key))) {
                backend.set(key, normalised);
                backend.audit(request, "xmpproxy: set " + key, key + " = " + normalised);
            }
        });
        redirect(request, response, "saved=settings");
    }

    private void saveAccount(HttpServletRequest request, HttpServletResponse response, AdminBackend backend, AdminPage page)
            throws IOException {
        String username = request.getParameter("user");
        String mirroring = request.getParameter("mirroring");
        Optional<Boolean> valid = "default".equals(mirroring) ? Optional.empty() : Optional.ofNullable(
                "on".equals(mirroring) ? Boolean.TRUE : "off".equals(mirroring) ? Boolean.FALSE : null);
        if (username == null || username.isBlank() || (valid.isEmpty() && !"default".equals(mirroring))) {
            page.error("admin.error.account");
            render(request, response, page, HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        Optional<String> account = AccountName.normalised(username, backend.lengthsInBytes());
        if (account.isEmpty()) {
            page.error("admin.error.username", AccountName.MAX_USERNAME_LENGTH);
            render(request, response, page, HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        username = account.get(); // as Openfire names the account: "John" is john
        backend.setMirroring(username, valid.orElse(null));
        backend.audit(request, "xmpproxy: mirroring of " + username + " set to " + mirroring, null);
        redirectToAccount(request, response);
    }

    /**
     * The settings of an account row's form ({@link AccountSetting#onAccountRow}): each a value within its
     * bounds, the server maximum, or "default" to follow the server again. Checks every field first;
     * stores nothing unless all are valid.
     */
    private void saveAccountSettings(HttpServletRequest request, HttpServletResponse response, AdminBackend backend, AdminPage page)
            throws IOException {
        Optional<String> account = AccountName.normalised(request.getParameter("user"), backend.lengthsInBytes());
        if (account.isEmpty()) {
            page.error("admin.error.username", AccountName.MAX_USERNAME_LENGTH);
            render(request, response, page, HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        String username = account.get(); // as Openfire names the account: "John" is john
        Map<AccountSetting<?>, Optional<?>> changes = new LinkedHashMap<>();
        for (AccountSetting<?> setting : Settings.ACCOUNT) {
            String typed = setting.onAccountRow() ? request.getParameter(setting.key()) : null;
            if (typed == null) {
                continue; // not on the submitted form: unchanged
            }
            Optional<?> value = AccountSetting.meansDefault(typed) ? Optional.empty() : setting.parse(typed);
            if (value.isEmpty() && !AccountSetting.meansDefault(typed)) {
                page.error("admin.error.accountSetting", page.text("admin.account." + setting.key()), username, setting.min(), setting.max());
                render(request, response, page, HttpServletResponse.SC_BAD_REQUEST);
                return;
            }
            changes.put(setting, value);
        }
        changes.forEach((setting, value) -> {
            set(backend, username, setting, value);
            backend.audit(request, "xmpproxy: " + setting.key() + " of " + username + " set to "
                    + value.map(String::valueOf).orElse("the server's default"), null);
        });
        redirectToAccount(request, response);
    }

    private static <T> void set(AdminBackend backend, String username, AccountSetting<T> setting, Optional<?> value) {
        backend.setAccountSetting(username, setting, value.map(setting.type()::cast).orElse(null));
    }

    /** Back to the page the account's row was on, with its search. */
    private static void redirectToAccount(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String search = request.getParameter("q") == null ? "" : request.getParameter("q");
        redirect(request, response, "saved=account&q=" + URLEncoder.encode(search, StandardCharsets.UTF_8)
                + "&page=" + AdminPage.pageNumber(request.getParameter("page")));
    }

    private static AdminPage page(HttpServletRequest request, AdminBackend backend) {
        return new AdminPage(backend, request.getParameter("q"), AdminPage.pageNumber(request.getParameter("page")), PAGE_SIZE);
    }

    private static boolean csrfMatches(HttpServletRequest request) {
        String param = request.getParameter("csrf");
        if (param == null || param.isEmpty() || request.getCookies() == null) {
            return false;
        }
        for (Cookie cookie : request.getCookies()) {
            if (CSRF_COOKIE.equals(cookie.getName()) && param.equals(cookie.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** Every page shown gets a new token, in a cookie and in its forms. */
    private static void render(HttpServletRequest request, HttpServletResponse response, AdminPage page, int status)
            throws IOException {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Cookie cookie = new Cookie(CSRF_COOKIE, token);
        cookie.setHttpOnly(true);
        cookie.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
        response.addCookie(cookie);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(page.html(token, request.getRequestURI()));
    }

    private static void redirect(HttpServletRequest request, HttpServletResponse response, String query) throws IOException {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getRequestURI() + "?" + query);
    }
}
