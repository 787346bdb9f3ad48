package org.xmpproxy.bot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xmpp.packet.JID;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * The bot's chat commands, as a table: name, who may use it, and what it does. Every command acts on
 * the sender's own account; the admin commands check that the sender is a server admin first.
 * Replies are text in the sender's language; every refusal is one line with a hint.
 */
public final class CommandHandler {
    /** Admin listings show this many accounts a page. */
    static final int PAGE_SIZE = 20;

    private interface Action {
        String run(JID sender, JID resource, List<String> args, BotText text);
    }

    private record Command(String name, boolean adminOnly, Action action) {
    }

    private final BotBackend backend;
    private final Function<BotText, List<String>> botStats;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public CommandHandler(BotBackend backend) {
        this(backend, text -> List.of());
    }

    /** @param botStats the bot's own counters for {@code stats}, in the reader's language */
    public CommandHandler(BotBackend backend, Function<BotText, List<String>> botStats) {
        this.backend = backend;
        this.botStats = botStats;
        add("help", false, this::help);
        add("status", false, this::status);
        add("on", false, (sender, resource, args, text) -> setMirroring(sender, args, text, true));
        add("off", false, (sender, resource, args, text) -> setMirroring(sender, args, text, false));
        add("mode", false, this::mode);
        add("history", false, this::history);
        add("replay", false, this::replay);
        add("users", true, this::users);
        add("user", true, this::user);
        add("stats", true, this::stats);
    }

    private void add(String name, boolean adminOnly, Action action) {
        commands.put(name, new Command(name, adminOnly, action));
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
        lines.add(text.get("bot.status.resources", resources.size()));
        for (AccountResource r : resources) {
            String gets = text.get("bot.status.gets." + gets(r));
            lines.add(text.get("bot.status.resource", printable(r.address().getResource()), r.mode().label(),
                    text.get(r.carbonsEnabled() ? "bot.yes" : "bot.no"), gets,
                    r.address().equals(resource) ? text.get("bot.status.this") : ""));
        }
        long size = backend.historySize(sender);
        lines.add(text.get(backend.isHistoryOn(sender) ? "bot.status.history.on" : "bot.status.history.off",
                size < 0 ? "?" : Long.toString(size)));
        lines.add(text.get("bot.status.catchup", backend.catchupCount(sender), backend.catchupAgeHours(sender)));
        return String.join("\n", lines);
    }

    /** What a resource gets, in the words of {@code bot.status.gets.*}. */
    private static String gets(AccountResource r) {
        return switch (r.mode()) {
            case OFF -> "nothing";
            case CARBONS -> "carbons";
            case LEGACY -> r.carbonsEnabled() ? "native" : "legacy";
            case AUTO -> r.carbonsEnabled() ? "native" : "legacy";
        };
    }

    private String setMirroring(JID sender, List<String> args, BotText text, boolean on) {
        if (!args.isEmpty()) {
            return text.get("bot.error.noargs", on ? "on" : "off");
        }
        backend.setMirroring(sender, on);
        return text.get(on ? "bot.on.done" : "bot.off.done");
    }

    private String mode(JID sender, JID resource, List<String> args, BotText text) {
        if (args.size() != 2) {
            return text.get("bot.error.usage", text.get("bot.help.mode.usage"));
        }
        Optional<ResourceMode> mode = ResourceMode.parse(args.get(1));
        if (mode.isEmpty()) {
            return text.get("bot.mode.badmode", printable(args.get(1)));
        }
        String wanted = args.get(0);
        Optional<ResourceNames.Problem> problem = ResourceNames.check(wanted);
        if (problem.isPresent()) {
            return switch (problem.get()) {
                case BLANK -> text.get("bot.mode.badresource", printable(wanted));
                case CONTROL_CHARACTER -> text.get("bot.mode.control");
                case TOO_LONG -> text.get("bot.mode.toolong", ResourceNames.utf8Length(wanted), ResourceNames.maxBytes());
            };
        }
        List<String> known = new ArrayList<>(backend.knownResources(sender));
        backend.availableResources(sender).forEach(r -> {
            if (!known.contains(r.address().getResource())) {
                known.add(r.address().getResource());
            }
        });
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
        int sent = backend.replay(resource, count);
        if (sent < 0) {
            return text.get("bot.error.database");
        }
        return sent == 0 ? text.get("bot.replay.none") : text.get("bot.replay.done", sent);
    }

    private String users(JID sender, JID resource, List<String> args, BotText text) {
        int page = 1;
        if (args.size() > 1 || (args.size() == 1 && number(args.get(0)).filter(p -> p >= 1).isEmpty())) {
            return text.get("bot.error.usage", text.get("bot.help.users.usage"));
        }
        if (args.size() == 1) {
            page = number(args.get(0)).orElseThrow();
        }
        int total = backend.accountsWithChoicesCount();
        int pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        List<String> lines = new ArrayList<>();
        lines.add(text.get("bot.users.header", total, Math.min(page, pages), pages));
        for (String username : backend.accountsWithChoices((page - 1) * PAGE_SIZE, PAGE_SIZE)) {
            JID account = new JID(username, sender.getDomain(), null);
            lines.add(text.get(backend.isMirroringOn(account) ? "bot.users.line.on" : "bot.users.line.off", printable(username)));
        }
        return String.join("\n", lines);
    }

    private String user(JID sender, JID resource, List<String> args, BotText text) {
        if (args.size() != 2) {
            return text.get("bot.error.usage", text.get("bot.help.user.usage"));
        }
        JID account;
        try {
            account = new JID(args.get(0), sender.getDomain(), null);
        } catch (IllegalArgumentException e) {
            return text.get("bot.user.unknown", printable(args.get(0)));
        }
        if (!backend.isLocalUser(account)) {
            return text.get("bot.user.unknown", printable(args.get(0)));
        }
        return switch (args.get(1).toLowerCase(Locale.ROOT)) {
            case "on" -> {
                backend.setMirroring(account, true);
                yield text.get("bot.user.on", account.toBareJID());
            }
            case "off" -> {
                backend.setMirroring(account, false);
                yield text.get("bot.user.off", account.toBareJID());
            }
            case "status" -> account.toBareJID() + "\n" + status(account, null, List.of(), text);
            default -> text.get("bot.error.usage", text.get("bot.help.user.usage"));
        };
    }

    private String stats(JID sender, JID resource, List<String> args, BotText text) {
        List<String> lines = new ArrayList<>();
        lines.add(text.get("bot.stats.header"));
        lines.addAll(backend.stats());
        lines.addAll(botStats.apply(text));
        return String.join("\n", lines);
    }

    private static Optional<Integer> number(String text) {
        if (!text.matches("\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(text));
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
