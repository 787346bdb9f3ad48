package org.xmpproxy.bot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.JID;
import org.xmpproxy.core.catchup.HistoryItem;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.MirrorRule;
import org.xmpproxy.core.rule.ResourceMode;
import org.xmpproxy.core.stats.CounterReport;

/**
 * Every bot command, as a table: name, who may use it, what it does on a chat line, and how it is
 * offered as an XEP-0050 ad-hoc command (not at all, at once, or with a form whose answers become the
 * chat command's arguments). A command is this file plus its texts ({@code bot.help.<name>.*} and its
 * replies) in the two bundles; README's "How to add a bot command" walks through one.
 * Every command acts on the sender's own account; the admin commands check that the sender is a server
 * admin first. Replies are text in the sender's language; every refusal is one line with a hint.
 */
public final class CommandHandler {
    /** Admin listings show this many accounts a page. */
    static final int PAGE_SIZE = 20;

    /** What a command does with a chat line's arguments: the reply. */
    private interface Action {
        String run(JID sender, JID resource, List<String> args, BotText text);
    }

    /** How a command is offered as an ad-hoc command. */
    enum AdHoc { NONE, AT_ONCE, FORM }

    /** Fills the ad-hoc form of a command (title and instructions are its help texts) for {@code user}. */
    private interface FormFields {
        void fill(DataForm form, JID user, BotText text);
    }

    /** Reads the chat command's arguments from a submitted form. */
    private interface FormArguments {
        List<String> read(DataForm submitted);
    }

    private record Command(String name, boolean adminOnly, Action action, AdHoc adHoc, FormFields fields, FormArguments arguments) {
    }

    private final BotBackend backend;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public CommandHandler(BotBackend backend) {
        this.backend = backend;
        chatOnly("help", false, this::help);
        atOnce("status", false, this::status);
        atOnce("on", false, (sender, resource, args, text) -> setMirroring(sender, args, text, true));
        atOnce("off", false, (sender, resource, args, text) -> setMirroring(sender, args, text, false));
        withForm("mode", false, this::mode, this::modeForm, form -> List.of(value(form, "resource"), value(form, "mode")));
        withForm("history", false, this::history, (form, user, text) -> choice(form, "action", text, "on", "off", "clear"),
                form -> List.of(value(form, "action")));
        withForm("replay", false, this::replay, this::replayForm, form -> nonBlank(value(form, "count")));
        withForm("catchup", false, this::catchup, this::catchupForm, CommandHandler::catchupArguments);
        chatOnly("users", true, this::users);
        withForm("user", true, this::user, this::userForm, form -> List.of(value(form, "username"), value(form, "action")));
        atOnce("stats", true, this::stats);
    }

    private void chatOnly(String name, boolean adminOnly, Action action) {
        commands.put(name, new Command(name, adminOnly, action, AdHoc.NONE, null, null));
    }

    private void atOnce(String name, boolean adminOnly, Action action) {
        commands.put(name, new Command(name, adminOnly, action, AdHoc.AT_ONCE, null, null));
    }

    private void withForm(String name, boolean adminOnly, Action action, FormFields fields, FormArguments arguments) {
        commands.put(name, new Command(name, adminOnly, action, AdHoc.FORM, fields, arguments));
    }

    /**
     * Answers one chat line.
     *
     * @param from the full JID of the sender (a local user, checked by the caller)
     */
    public String handle(JID from, String body, BotText text) {
        CommandLine.Parsed parsed = CommandLine.parse(body);
        if (parsed.problem().isPresent()) {
            return text.get("bot.error.parse." + parsed.problem().get().name().toLowerCase(Locale.ROOT), CommandLine.MAX_LENGTH);
        }
        CommandLine line = parsed.line().orElseThrow();
        return run(from, line.command(), line.args(), text);
    }

    /** Runs one command with its arguments already separated (chat lines and ad-hoc command forms). */
    public String run(JID from, String name, List<String> args, BotText text) {
        Command command = commands.get(name);
        JID account = from.asBareJID();
        if (command == null || (command.adminOnly() && !backend.isAdmin(account))) {
            return text.get("bot.error.unknown", printable(name));
        }
        return command.action().run(account, from, args, text);
    }

    /** Whether {@code from} may use the command {@code name}. */
    public boolean mayUse(JID from, String name) {
        Command command = commands.get(name);
        return command != null && (!command.adminOnly() || backend.isAdmin(from.asBareJID()));
    }

    /** The commands offered as ad-hoc commands, in the order a client lists them. */
    List<String> adHocNodes() {
        return commands.values().stream().filter(c -> c.adHoc() != AdHoc.NONE).map(Command::name).toList();
    }

    /** How the command {@code name} is offered as an ad-hoc command. */
    AdHoc adHoc(String name) {
        Command command = commands.get(name);
        return command == null ? AdHoc.NONE : command.adHoc();
    }

    /** The form a {@link AdHoc#FORM} command asks {@code user} to fill in. */
    DataForm form(String name, JID user, BotText text) {
        DataForm form = new DataForm(DataForm.Type.form);
        form.setTitle(text.get("bot.help." + name + ".summary"));
        form.addInstruction(text.get("bot.help." + name + ".details"));
        commands.get(name).fields().fill(form, user, text);
        return form;
    }

    /** The chat command's arguments from a submitted form of {@code name}. */
    List<String> arguments(String name, DataForm submitted) {
        return commands.get(name).arguments().read(submitted);
    }

    // help, status, on, off

    private String help(JID sender, JID resource, List<String> args, BotText text) {
        boolean admin = backend.isAdmin(sender);
        if (!args.isEmpty()) {
            Command command = commands.get(args.get(0).toLowerCase(Locale.ROOT));
            if (command == null || (command.adminOnly() && !admin)) {
                return text.get("bot.error.unknown", printable(args.get(0)));
            }
            return text.get("bot.help." + command.name() + ".usage") + "\n" + text.get("bot.help." + command.name() + ".details");
        }
        List<String> lines = new ArrayList<>();
        lines.add(text.get("bot.help.intro"));
        for (Command command : commands.values()) {
            if (!command.adminOnly() || admin) {
                lines.add(text.get("bot.help." + command.name() + ".usage") + " - " + text.get("bot.help." + command.name() + ".summary"));
            }
        }
        lines.add(text.get("bot.help.more"));
        return String.join("\n", lines);
    }

    private String status(JID sender, JID resource, List<String> args, BotText text) {
        List<String> lines = new ArrayList<>();
        lines.add(text.get(backend.isMirroringOn(sender) ? "bot.status.mirroring.on" : "bot.status.mirroring.off"));
        List<AccountResource> resources = backend.availableResources(sender);
        boolean archive = backend.hasArchive(sender);
        lines.add(text.get("bot.status.resources", resources.size()));
        for (AccountResource r : resources) {
            String gets = text.get("bot.status.gets." + switch (MirrorRule.serviceOf(r)) {
                case NOTHING -> "nothing";
                case SERVER_CARBONS -> "native";
                case CARBON_COPIES -> "carbons";
                case PLAIN_COPIES -> "legacy";
            });
            lines.add(text.get("bot.status.resource", printable(r.address().getResource()), r.mode().label(),
                    text.get(r.carbonsEnabled() ? "bot.yes" : "bot.no"), gets,
                    r.address().equals(resource) ? text.get("bot.status.this") : ""));
            lines.add(catchupOf(r, archive, text));
        }
        lines.add(text.get(archive ? "bot.status.archive.on" : "bot.status.archive.off"));
        long size = backend.historySize(sender);
        lines.add(text.get(backend.isHistoryOn(sender) ? "bot.status.history.on" : "bot.status.history.off",
                size < 0 ? "?" : Long.toString(size)));
        BotBackend.CatchupLimits catchup = backend.catchupLimits(sender);
        lines.add(text.get(backend.hasOwnCatchupLimits(sender) ? "bot.status.catchup.own" : "bot.status.catchup",
                catchup.count(), catchup.ageHours()));
        return String.join("\n", lines);
    }

    /** What the client's catch-up sends: beside an archive, a client that queries it gets only what the archive does not return. */
    private String catchupOf(AccountResource r, boolean archive, BotText text) {
        if (archive && backend.queriedArchive(r.address())) {
            return text.get("bot.status.resource.catchup.archive");
        }
        if (archive && r.carbonsEnabled()) {
            return text.get("bot.status.resource.catchup.waits", backend.archiveWaitSeconds());
        }
        return text.get("bot.status.resource.catchup.all");
    }

    private String setMirroring(JID sender, List<String> args, BotText text, boolean on) {
        if (!args.isEmpty()) {
            return text.get("bot.error.noargs", on ? "on" : "off");
        }
        backend.setMirroring(sender, on);
        return text.get(on ? "bot.on.done" : "bot.off.done");
    }

    // mode

    private String mode(JID sender, JID resource, List<String> args, BotText text) {
        if (args.size() != 2) {
            return text.get("bot.error.usage", text.get("bot.help.mode.usage"));
        }
        Optional<ResourceMode> mode = ResourceMode.parse(args.get(1));
        if (mode.isEmpty()) {
            return text.get("bot.mode.badmode", printable(args.get(1)));
        }
        String typed = args.get(0);
        ResourceNames.Checked checked = ResourceNames.prepared(typed);
        if (checked.refused().isPresent()) {
            return switch (checked.refused().get()) {
                case BLANK, NOT_A_NAME -> text.get("bot.mode.badresource", printable(typed));
                case CONTROL_CHARACTER -> text.get("bot.mode.control");
                case TOO_LONG -> text.get("bot.mode.toolong", ResourceNames.utf8Length(typed), ResourceNames.maxBytes());
            };
        }
        String wanted = checked.name(); // as Openfire binds it: the mode is looked up by the bound resource
        List<String> known = new ArrayList<>(resourceNames(sender));
        String target;
        if (known.contains(wanted)) {
            target = wanted;
        } else {
            List<String> matches = known.stream()
                    .filter(name -> name.toLowerCase(Locale.ROOT).startsWith(wanted.toLowerCase(Locale.ROOT))).toList();
            if (matches.size() > 1) {
                return text.get("bot.mode.ambiguous", printable(wanted), String.join(", ", matches.stream().map(CommandHandler::quoted).toList()));
            }
            target = matches.isEmpty() ? wanted : matches.get(0);
        }
        backend.setMode(sender, target, mode.get());
        return text.get(known.contains(target) ? "bot.mode.done" : "bot.mode.done.unseen", printable(target), mode.get().label());
    }

    /** The account's resources: online ones first, then those seen or configured before. */
    private Set<String> resourceNames(JID account) {
        Set<String> names = new LinkedHashSet<>();
        backend.availableResources(account).forEach(r -> names.add(r.address().getResource()));
        names.addAll(backend.knownResources(account));
        return names;
    }

    private void modeForm(DataForm form, JID user, BotText text) {
        FormField resource = form.addField("resource", text.get("bot.form.resource"), FormField.Type.list_single);
        resource.setRequired(true);
        resourceNames(user.asBareJID()).forEach(name -> resource.addOption(name, name));
        if (user.getResource() != null) {
            resource.addValue(user.getResource());
        }
        FormField mode = form.addField("mode", text.get("bot.form.mode"), FormField.Type.list_single);
        mode.setRequired(true);
        for (ResourceMode m : ResourceMode.values()) {
            mode.addOption(m.label(), m.label());
        }
        mode.addValue(ResourceMode.AUTO.label());
    }

    // history

    private String history(JID sender, JID resource, List<String> args, BotText text) {
        if (args.size() != 1) {
            return text.get("bot.error.usage", text.get("bot.help.history.usage"));
        }
        switch (args.get(0).toLowerCase(Locale.ROOT)) {
            case "on" -> {
                backend.setHistory(sender, true);
                return text.get("bot.history.on");
            }
            case "off" -> {
                backend.setHistory(sender, false);
                return text.get("bot.history.off");
            }
            case "clear" -> {
                return text.get(backend.clearHistory(sender) ? "bot.history.cleared" : "bot.error.database");
            }
            default -> {
                return text.get("bot.error.usage", text.get("bot.help.history.usage"));
            }
        }
    }

    // replay

    private String replay(JID sender, JID resource, List<String> args, BotText text) {
        int count = backend.replayDefault();
        if (args.size() > 1) {
            return text.get("bot.error.usage", text.get("bot.help.replay.usage"));
        }
        if (args.size() == 1) {
            Optional<Integer> n = number(args.get(0));
            if (n.isEmpty() || n.get() < 1) {
                return text.get("bot.replay.badcount", printable(args.get(0)), backend.replayMaximum());
            }
            count = Math.min(n.get(), backend.replayMaximum());
        }
        Optional<List<? extends HistoryItem>> entries = backend.latestHistory(sender, count);
        if (entries.isEmpty()) {
            return text.get("bot.error.database");
        }
        int sent = 0;
        for (HistoryItem entry : entries.get()) {
            if (backend.sendFromHistory(resource, entry)) {
                sent++;
            }
        }
        return sent == 0 ? text.get("bot.replay.none") : text.get("bot.replay.done", sent);
    }

    private void replayForm(DataForm form, JID user, BotText text) {
        FormField count = form.addField("count", text.get("bot.form.count", backend.replayMaximum()), FormField.Type.text_single);
        count.addValue(Integer.toString(backend.replayDefault()));
    }

    // catchup

    private String catchup(JID sender, JID resource, List<String> args, BotText text) {
        BotBackend.CatchupLimits most = backend.catchupMaximum();
        if (args.isEmpty()) {
            BotBackend.CatchupLimits now = backend.catchupLimits(sender);
            return text.get("bot.catchup.shown", now.count(), now.ageHours(), backend.hasOwnCatchupLimits(sender) ? 1 : 0)
                    + "\n" + text.get("bot.catchup.maximum", most.count(), most.ageHours());
        }
        if (args.size() == 1 && "default".equalsIgnoreCase(args.get(0))) {
            backend.setCatchup(sender, null, null);
            BotBackend.CatchupLimits now = backend.catchupLimits(sender);
            return text.get("bot.catchup.default", now.count(), now.ageHours());
        }
        if (args.size() > 2) {
            return text.get("bot.error.usage", text.get("bot.help.catchup.usage"));
        }
        Optional<Long> count = wholeNumber(args.get(0));
        if (count.isEmpty()) {
            return text.get("bot.catchup.badcount", printable(args.get(0)), most.count());
        }
        if (count.get() > most.count()) {
            return text.get("bot.catchup.toomany", printable(args.get(0)), most.count());
        }
        Long hours = null;
        if (args.size() == 2) {
            Optional<Long> h = wholeNumber(args.get(1));
            if (h.isEmpty()) {
                return text.get("bot.catchup.badhours", printable(args.get(1)), most.ageHours());
            }
            if (h.get() > most.ageHours()) {
                return text.get("bot.catchup.tooold", printable(args.get(1)), most.ageHours());
            }
            hours = h.get();
        }
        backend.setCatchup(sender, count.get().intValue(), hours);
        BotBackend.CatchupLimits now = backend.catchupLimits(sender);
        return text.get("bot.catchup.done", now.count(), now.ageHours());
    }

    private void catchupForm(DataForm form, JID user, BotText text) {
        BotBackend.CatchupLimits most = backend.catchupMaximum();
        BotBackend.CatchupLimits now = backend.catchupLimits(user.asBareJID());
        form.addField("count", text.get("bot.form.catchupCount", most.count()), FormField.Type.text_single)
                .addValue(Integer.toString(now.count()));
        form.addField("hours", text.get("bot.form.catchupHours", most.ageHours()), FormField.Type.text_single)
                .addValue(Long.toString(now.ageHours()));
        form.addField("default", text.get("bot.form.catchupDefault"), FormField.Type.boolean_type)
                .addValue(backend.hasOwnCatchupLimits(user.asBareJID()) ? "0" : "1");
    }

    /** "default" when the box is ticked, else the count and the hours. */
    private static List<String> catchupArguments(DataForm form) {
        String useDefault = value(form, "default").trim();
        if (useDefault.equals("1") || useDefault.equalsIgnoreCase("true")) {
            return List.of("default");
        }
        List<String> args = new ArrayList<>(List.of(value(form, "count").trim()));
        args.addAll(nonBlank(value(form, "hours")));
        return args;
    }

    // admin: users, user, stats

    private String users(JID sender, JID resource, List<String> args, BotText text) {
        int page = 1;
        if (args.size() > 1 || (args.size() == 1 && number(args.get(0)).filter(p -> p >= 1).isEmpty())) {
            return text.get("bot.error.usage", text.get("bot.help.users.usage"));
        }
        if (args.size() == 1) {
            page = number(args.get(0)).orElseThrow();
        }
        List<String> accounts = backend.accountsWithChoices();
        int total = accounts.size();
        int pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        List<String> lines = new ArrayList<>();
        lines.add(text.get("bot.users.header", total, Math.min(page, pages), pages));
        for (String username : accounts.stream().skip((long) (page - 1) * PAGE_SIZE).limit(PAGE_SIZE).toList()) {
            JID account = new JID(username, sender.getDomain(), null);
            lines.add(text.get(backend.isMirroringOn(account) ? "bot.users.line.on" : "bot.users.line.off", printable(username)));
        }
        return String.join("\n", lines);
    }

    private String user(JID sender, JID resource, List<String> args, BotText text) {
        if (args.size() != 2) {
            return text.get("bot.error.usage", text.get("bot.help.user.usage"));
        }
        Optional<JID> named = accountNamed(args.get(0), sender.getDomain());
        if (named.isEmpty()) {
            return text.get("bot.user.badname", printable(args.get(0)));
        }
        JID account = named.get();
        if (!backend.isLocalUser(account)) {
            return text.get("bot.user.unknown", printable(args.get(0)));
        }
        return switch (args.get(1).toLowerCase(Locale.ROOT)) {
            case "on", "off" -> {
                boolean on = args.get(1).equalsIgnoreCase("on");
                backend.setMirroring(account, on);
                backend.audit(sender, "xmpproxy: mirroring of " + account.toBareJID() + " set to " + (on ? "on" : "off"),
                        "with the xmpproxy bot's user command");
                yield text.get(on ? "bot.user.on" : "bot.user.off", account.toBareJID());
            }
            case "status" -> account.toBareJID() + "\n" + status(account, null, List.of(), text);
            default -> text.get("bot.error.usage", text.get("bot.help.user.usage"));
        };
    }

    /**
     * The account an admin names, as Openfire names it (nodeprep: "John" is john), typed alone or as its address on
     * this server; empty when it cannot be an account name here.
     */
    private static Optional<JID> accountNamed(String typed, String domain) {
        String name = typed.strip();
        int at = name.lastIndexOf('@');
        if (at >= 0 && name.indexOf('/') < 0 && name.substring(at + 1).equalsIgnoreCase(domain)) {
            name = name.substring(0, at);
        }
        try {
            String node = JID.nodeprep(name);
            return node == null || node.isEmpty() ? Optional.empty() : Optional.of(new JID(node, domain, null, true));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // prohibited characters (a space, another "@", "/"), or over 1023 bytes
        }
    }

    private void userForm(DataForm form, JID user, BotText text) {
        form.addField("username", text.get("bot.form.username"), FormField.Type.text_single).setRequired(true);
        choice(form, "action", text, "status", "on", "off").addValue("status");
    }

    private String stats(JID sender, JID resource, List<String> args, BotText text) {
        List<String> lines = new ArrayList<>();
        lines.add(text.get("bot.stats.header"));
        CounterReport report = backend.counters();
        if (report.clustered()) {
            lines.add(text.get("bot.stats.nodes", report.nodes().size(), report.asked()));
        }
        for (CounterReport.Row row : report.rows()) {
            lines.add(text.get("bot.stats.line", text.get(row.labelKey()), row.total()));
        }
        return String.join("\n", lines);
    }

    // helpers

    /** A required list-single field {@code action} (or another name) with these options. */
    private static FormField choice(DataForm form, String variable, BotText text, String... options) {
        FormField field = form.addField(variable, text.get("bot.form." + variable), FormField.Type.list_single);
        field.setRequired(true);
        for (String option : options) {
            field.addOption(option, option);
        }
        return field;
    }

    private static String value(DataForm form, String variable) {
        FormField field = form.getField(variable);
        String value = field == null ? null : field.getFirstValue();
        return value == null ? "" : value;
    }

    private static List<String> nonBlank(String value) {
        return value.isBlank() ? List.of() : List.of(value.trim());
    }

    private static Optional<Integer> number(String text) {
        if (!text.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(text));
    }

    /** A whole number of any length (one too long to read counts as the largest). */
    private static Optional<Long> wholeNumber(String text) {
        if (!text.matches("\\d+")) {
            return Optional.empty();
        }
        return Optional.of(text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text));
    }

    private static String quoted(String name) {
        return "\"" + printable(name) + "\"";
    }

    /** User input echoed back: control characters shown as '?' and cut to a readable length. */
    static String printable(String input) {
        String cleaned = input.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return cleaned.length() > 80 ? cleaned.substring(0, 77) + "..." : cleaned;
    }
}
