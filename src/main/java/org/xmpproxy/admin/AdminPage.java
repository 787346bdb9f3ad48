package org.xmpproxy.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.DateFormat;
import java.text.MessageFormat;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import org.xmpproxy.core.stats.CounterReport;
import org.xmpproxy.core.settings.AccountSetting;
import org.xmpproxy.core.settings.Settings;

/**
 * The page's HTML, in the admin console's look: SiteMesh's {@code pageID} meta tag (Openfire puts the
 * page in its frame), Openfire's CSS classes, its success and error boxes. Every value that comes
 * from users (names, resources, search text, typed values) is escaped by {@link Html}.
 */
final class AdminPage {
    /** Must equal the item id in plugin.xml's {@code <adminconsole>}. */
    static final String PAGE_ID = "xmpproxy-settings";

    private final AdminBackend backend;
    private final String search;
    private final int pageNumber;
    private final int pageSize;
    private final ResourceBundle text;
    private final Locale locale;
    private final Map<String, String> entered = new LinkedHashMap<>();
    private final Map<String, SettingDefinition.Problem> problems = new LinkedHashMap<>();
    private String successKey;
    private String errorKey;
    private Object[] errorArguments = {};

    AdminPage(AdminBackend backend, String search, int pageNumber, int pageSize) {
        this.backend = backend;
        this.search = search == null ? "" : search.strip();
        this.pageNumber = pageNumber;
        this.pageSize = pageSize;
        this.locale = backend.locale();
        this.text = ResourceBundle.getBundle("xmpproxy_i18n", locale, AdminPage.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    static int pageNumber(String param) {
        return param != null && param.matches("\\d{1,6}") ? Math.max(1, Integer.parseInt(param)) : 1;
    }

    void success(String key) {
        successKey = key;
    }

    void error(String key, Object... arguments) {
        errorKey = key;
        errorArguments = arguments;
    }

    /** Shows what the admin typed, with the problems found, instead of the stored values. */
    void withEntered(Map<String, String> values, Map<String, SettingDefinition.Problem> found) {
        entered.putAll(values);
        problems.putAll(found);
    }

    /** A text of the page's language (for a message that names a setting). */
    String text(String key) {
        return t(key);
    }

    private String t(String key, Object... args) {
        return new MessageFormat(text.getString(key), locale).format(args);
    }

    /** Texts shared with Openfire's System Properties page are plain text, not patterns. */
    private String raw(String key) {
        return text.getString(key);
    }

    String html(String csrf, String action) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html><head><title>").append(Html.escape(t("admin.title"))).append("</title>\n")
                .append("<meta name=\"pageID\" content=\"").append(PAGE_ID).append("\"/>\n")
                .append("<meta name=\"helpPage\" content=\"\"/>\n</head>\n<body>\n");
        h.append("<p>").append(Html.escape(t("admin.intro"))).append("</p>\n");
        if (successKey != null) {
            box(h, "jive-success", "success-16x16.gif", t(successKey));
        }
        if (errorKey != null) {
            box(h, "jive-error", "error-16x16.gif", t(errorKey, errorArguments));
        }
        settings(h, csrf, action);
        counters(h);
        accounts(h, csrf, action);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void box(StringBuilder h, String cssClass, String icon, String message) {
        h.append("<div class=\"").append(cssClass).append("\" id=\"").append(cssClass).append("\">")
                .append("<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tbody><tr>")
                .append("<td class=\"jive-icon\"><img src=\"/images/").append(icon).append("\" width=\"16\" height=\"16\" border=\"0\" alt=\"\"/></td>")
                .append("<td class=\"jive-icon-label\">").append(Html.escape(message)).append("</td>")
                .append("</tr></tbody></table></div><br>\n");
    }

    private void settings(StringBuilder h, String csrf, String action) {
        h.append("<div class=\"jive-contentBoxHeader\">").append(Html.escape(t("admin.settings.header"))).append("</div>\n")
                .append("<div class=\"jive-contentBox\">\n<form method=\"post\" action=\"").append(Html.escape(action))
                .append("\" id=\"settings-form\">\n<input type=\"hidden\" name=\"action\" value=\"settings\"/>\n")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.escape(csrf)).append("\"/>\n")
                .append("<table cellpadding=\"3\" cellspacing=\"0\" border=\"0\">\n");
        for (SettingDefinition definition : SettingDefinition.ALL) {
            String key = definition.key();
            String value = entered.getOrDefault(key, backend.value(key));
            String id = key.replace('.', '-');
            h.append("<tr valign=\"top\"><td width=\"30%\"><label for=\"").append(id).append("\"><b>")
                    .append(Html.escape(t("admin.setting." + key))).append("</b></label></td><td>");
            switch (definition.kind()) {
                case BOOLEAN, CHOICE -> {
                    h.append("<select name=\"").append(key).append("\" id=\"").append(id).append("\">");
                    for (String option : definition.options()) {
                        h.append("<option value=\"").append(Html.escape(option)).append('"')
                                .append(option.equals(value) ? " selected" : "").append('>')
                                .append(Html.escape(t("admin.option." + option))).append("</option>");
                    }
                    h.append("</select>");
                }
                default -> h.append("<input type=\"text\" size=\"30\" name=\"").append(key).append("\" id=\"").append(id)
                        .append("\" value=\"").append(Html.escape(value)).append("\"/>");
            }
            SettingDefinition.Problem problem = problems.get(key);
            if (problem != null) {
                h.append(" <span class=\"jive-error-text\" id=\"").append(id).append("-error\">")
                        .append(Html.escape(t(problem.messageKey(), problem.argument()))).append("</span>");
            }
            h.append("<br><span class=\"jive-description\">").append(Html.escape(raw("system_property." + key)))
                    .append(" ").append(Html.escape(t("admin.default", backend.defaultValue(key)))).append("</span></td></tr>\n");
        }
        h.append("</table>\n<input type=\"submit\" id=\"save-settings\" value=\"").append(Html.escape(t("admin.save")))
                .append("\"/>\n</form>\n</div>\n<br>\n");
    }

    private void counters(StringBuilder h) {
        h.append("<div class=\"jive-contentBoxHeader\">").append(Html.escape(t("admin.counters.header"))).append("</div>\n")
                .append("<div class=\"jive-table\"><table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" width=\"100%\" id=\"counters\">\n<tbody>\n");
        CounterReport report = backend.counters();
        if (report.clustered()) { // the sum first, then each node's own
            h.append("<tr><th></th><th>").append(Html.escape(t("admin.counters.total", report.nodes().size(), report.asked())))
                    .append("</th>");
            for (String node : report.nodes()) {
                h.append("<th class=\"node\">").append(Html.escape(node)).append("</th>");
            }
            h.append("</tr>\n");
        }
        for (CounterReport.Row row : report.rows()) {
            h.append("<tr><td>").append(Html.escape(t(row.labelKey()))).append("</td><td class=\"counter\">")
                    .append(row.total()).append("</td>");
            if (report.clustered()) {
                for (Long value : row.byNode()) {
                    h.append("<td class=\"counter-node\">").append(value == null ? "–" : value.toString()).append("</td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n<br>\n");
    }

    private void accounts(StringBuilder h, String csrf, String action) {
        AdminBackend.AccountPage accounts = backend.accounts(search, pageNumber, pageSize);
        h.append("<div class=\"jive-contentBoxHeader\">").append(Html.escape(t("admin.accounts.header"))).append("</div>\n")
                .append("<form method=\"get\" action=\"").append(Html.escape(action)).append("\">")
                .append(Html.escape(t("admin.accounts.search"))).append(" <input type=\"text\" name=\"q\" id=\"search\" value=\"")
                .append(Html.escape(search)).append("\"/> <input type=\"submit\" value=\"")
                .append(Html.escape(t("admin.accounts.find"))).append("\"/></form>\n<p>")
                .append(Html.escape(t("admin.accounts.count", accounts.total(), accounts.page(), accounts.pages()))).append("</p>\n")
                .append("<div class=\"jive-table\"><table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" width=\"100%\" id=\"accounts\">\n<thead><tr>");
        for (String column : new String[] {"user", "mirrored", "override", "online", "history", "seen", "actions", "settings"}) {
            h.append("<th nowrap>").append(Html.escape(t("admin.accounts.column." + column))).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        DateFormat dates = DateFormat.getDateTimeInstance(DateFormat.MEDIUM, DateFormat.SHORT, locale);
        boolean odd = true;
        for (AdminBackend.AccountRow row : accounts.rows()) {
            h.append("<tr class=\"").append(odd ? "jive-odd" : "jive-even").append("\"><td>").append(Html.escape(row.username()))
                    .append("</td><td>").append(Html.escape(t(row.mirrored() ? "admin.yes" : "admin.no")))
                    .append("</td><td>").append(Html.escape(row.override() == null ? t("admin.accounts.default")
                            : t(row.override() ? "admin.option.true" : "admin.option.false")))
                    .append("</td><td>");
            for (AdminBackend.ResourceRow resource : row.online()) {
                h.append("<div class=\"resource\">").append(Html.escape(resource.name())).append(": ")
                        .append(Html.escape(resource.mode())).append(resource.carbons() ? ", carbons" : "").append("</div>");
            }
            h.append("</td><td>").append(row.historySize() < 0 ? "?" : Long.toString(row.historySize()))
                    .append("</td><td>").append(row.lastSeen() == null ? "" : Html.escape(dates.format(new Date(row.lastSeen()))))
                    .append("</td><td nowrap>");
            for (String choice : new String[] {"on", "off", "default"}) {
                h.append("<form method=\"post\" action=\"").append(Html.escape(action)).append("\" style=\"display:inline\">")
                        .append("<input type=\"hidden\" name=\"action\" value=\"account\"/>")
                        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.escape(csrf)).append("\"/>")
                        .append("<input type=\"hidden\" name=\"user\" value=\"").append(Html.escape(row.username())).append("\"/>")
                        .append("<input type=\"hidden\" name=\"q\" value=\"").append(Html.escape(search)).append("\"/>")
                        .append("<input type=\"hidden\" name=\"page\" value=\"").append(accounts.page()).append("\"/>")
                        .append("<input type=\"hidden\" name=\"mirroring\" value=\"").append(choice).append("\"/>")
                        .append("<input type=\"submit\" value=\"").append(Html.escape(t("admin.accounts.set." + choice))).append("\"/></form> ");
            }
            h.append("</td><td nowrap>");
            accountSettings(h, csrf, action, row, accounts.page());
            h.append("</td></tr>\n");
            odd = !odd;
        }
        h.append("</tbody></table></div>\n");
        if (!accounts.rows().isEmpty()) {
            h.append("<p class=\"jive-description\">").append(Html.escape(t("admin.accounts.settings.help"))).append("</p>\n");
        }
        if (accounts.pages() > 1) {
            h.append("<p class=\"paging\">");
            for (int p = 1; p <= accounts.pages(); p++) {
                if (p == accounts.page()) {
                    h.append("<b>").append(p).append("</b> ");
                } else if (p <= 3 || p > accounts.pages() - 3 || Math.abs(p - accounts.page()) <= 2) {
                    h.append("<a href=\"").append(Html.escape(action)).append("?q=")
                            .append(Html.escape(URLEncoder.encode(search, StandardCharsets.UTF_8))).append("&amp;page=").append(p)
                            .append("\">").append(p).append("</a> ");
                } else if (Math.abs(p - accounts.page()) == 3) {
                    h.append("&hellip; ");
                }
            }
            h.append("</p>\n");
        }
    }

    /**
     * The form of the settings on an account row ({@link AccountSetting#onAccountRow}): each field holds
     * the account's own value or "default", with what the account gets now next to it.
     */
    private void accountSettings(StringBuilder h, String csrf, String action, AdminBackend.AccountRow row, int page) {
        h.append("<form method=\"post\" action=\"").append(Html.escape(action)).append("\" class=\"account-settings\">")
                .append("<input type=\"hidden\" name=\"action\" value=\"accountSettings\"/>")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(Html.escape(csrf)).append("\"/>")
                .append("<input type=\"hidden\" name=\"user\" value=\"").append(Html.escape(row.username())).append("\"/>")
                .append("<input type=\"hidden\" name=\"q\" value=\"").append(Html.escape(search)).append("\"/>")
                .append("<input type=\"hidden\" name=\"page\" value=\"").append(page).append("\"/>");
        for (AccountSetting<?> setting : Settings.ACCOUNT) {
            AdminBackend.AccountValue value = row.settings().get(setting.key());
            if (!setting.onAccountRow() || value == null) {
                continue;
            }
            h.append("<div><label>").append(Html.escape(t("admin.account." + setting.key()))).append(" <input type=\"text\" size=\"7\" name=\"")
                    .append(Html.escape(setting.key())).append("\" value=\"").append(Html.escape(value.own() == null ? "default" : value.own()))
                    .append("\"/></label> <span class=\"effective\">").append(Html.escape(t("admin.accounts.effective", value.effective())))
                    .append("</span></div>");
        }
        h.append("<input type=\"submit\" value=\"").append(Html.escape(t("admin.accounts.settings.set"))).append("\"/></form>");
    }
}
