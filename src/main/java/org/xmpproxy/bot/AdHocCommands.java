package org.xmpproxy.bot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;
import org.xmpproxy.core.rule.AccountResource;
import org.xmpproxy.core.rule.ResourceMode;

/**
 * The bot's chat commands as XEP-0050 ad-hoc commands with XEP-0004 forms, for clients with a
 * commands menu. Each runs the same {@link CommandHandler} action as the chat command of that name;
 * commands that need input first answer with a form, then run on its submission. Open forms are
 * bounded by {@link PendingForms}; every request has already passed the bot's rate limit.
 */
public final class AdHocCommands {
    public static final String NAMESPACE = "http://jabber.org/protocol/commands";
    private static final String SESSION_MISMATCH = "bad-sessionid";

    /** One ad-hoc command: its node (the chat command's name) and the form it asks for, if any. */
    private enum Node {
        STATUS("status", false), ON("on", false), OFF("off", false), MODE("mode", true), REPLAY("replay", true),
        HISTORY("history", true), STATS("stats", false), USER("user", true);

        final String name;
        final boolean asksFirst;

        Node(String name, boolean asksFirst) {
            this.name = name;
            this.asksFirst = asksFirst;
        }

        static Node of(String name) {
            for (Node node : values()) {
                if (node.name.equals(name)) {
                    return node;
                }
            }
            return null;
        }
    }

    private final CommandHandler commands;
    private final BotBackend backend;
    private final PendingForms forms;

    AdHocCommands(CommandHandler commands, BotBackend backend, PendingForms forms) {
        this.commands = commands;
        this.backend = backend;
        this.forms = forms;
    }

    /** The disco#items answer for node {@value #NAMESPACE}: the commands this user may run. */
    public void listInto(Element query, JID bot, JID user, BotText text) {
        for (Node node : Node.values()) {
            if (commands.mayUse(user, node.name)) {
                Element item = query.addElement("item");
                item.addAttribute("jid", bot.toString());
                item.addAttribute("node", node.name);
                item.addAttribute("name", text.get("bot.help." + node.name + ".summary"));
            }
        }
    }

    public boolean isCommandNode(String node) {
        return Node.of(node) != null;
    }

    /** Answers an IQ set carrying {@code <command/>}. */
    public IQ execute(IQ request, BotText text) {
        Element command = request.getChildElement();
        Node node = Node.of(command.attributeValue("node"));
        JID user = request.getFrom();
        if (node == null || !commands.mayUse(user, node.name)) {
            return error(request, PacketError.Condition.item_not_found);
        }
        String action = command.attributeValue("action", "execute");
        String sessionId = command.attributeValue("sessionid");
        if ("cancel".equals(action)) {
            if (sessionId != null) {
                forms.cancel(sessionId, user.asBareJID());
            }
            return reply(request, node, sessionId, "canceled");
        }
        Element formElement = command.element(QName.get("x", DataForm.NAMESPACE));
        if (sessionId == null || formElement == null) {
            if (!node.asksFirst) {
                return completed(request, node, UUID.randomUUID().toString(), commands.run(user, node.name, List.of(), text));
            }
            Optional<String> id = forms.open(user.asBareJID(), node.name);
            if (id.isEmpty()) {
                return error(request, PacketError.Condition.resource_constraint, PacketError.Type.wait, text.get("bot.form.busy"), text);
            }
            IQ reply = reply(request, node, id.get(), "executing");
            Element actions = reply.getChildElement().addElement("actions");
            actions.addAttribute("execute", "complete");
            actions.addElement("complete");
            reply.getChildElement().add(form(node, user, text).getElement());
            return reply;
        }
        if (forms.take(sessionId, user.asBareJID(), node.name).isEmpty()) {
            IQ error = error(request, PacketError.Condition.bad_request, PacketError.Type.modify,
                    text.get("bot.form.expired", PendingForms.MAX_AGE.toMinutes()), text);
            error.getError().getElement().addElement(SESSION_MISMATCH, NAMESPACE);
            return error;
        }
        DataForm submitted = new DataForm(formElement);
        return completed(request, node, sessionId, commands.run(user, node.name, arguments(node, submitted), text));
    }

    /** The chat command's arguments, from the submitted form's fields. */
    private static List<String> arguments(Node node, DataForm form) {
        List<String> args = new ArrayList<>();
        switch (node) {
            case MODE -> {
                args.add(value(form, "resource"));
                args.add(value(form, "mode"));
            }
            case REPLAY -> {
                String count = value(form, "count");
                if (!count.isBlank()) {
                    args.add(count.trim());
                }
            }
            case HISTORY -> args.add(value(form, "action"));
            case USER -> {
                args.add(value(form, "username"));
                args.add(value(form, "action"));
            }
            default -> {
            }
        }
        return args;
    }

    private static String value(DataForm form, String variable) {
        FormField field = form.getField(variable);
        String value = field == null ? null : field.getFirstValue();
        return value == null ? "" : value;
    }

    private DataForm form(Node node, JID user, BotText text) {
        DataForm form = new DataForm(DataForm.Type.form);
        form.setTitle(text.get("bot.help." + node.name + ".summary"));
        form.addInstruction(text.get("bot.help." + node.name + ".details"));
        switch (node) {
            case MODE -> {
                FormField resource = form.addField("resource", text.get("bot.form.resource"), FormField.Type.list_single);
                resource.setRequired(true);
                Set<String> names = new LinkedHashSet<>();
                backend.availableResources(user.asBareJID()).stream().map(AccountResource::address).map(JID::getResource).forEach(names::add);
                names.addAll(backend.knownResources(user.asBareJID()));
                names.forEach(name -> resource.addOption(name, name));
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
            case REPLAY -> {
                FormField count = form.addField("count", text.get("bot.form.count", backend.replayMaximum()), FormField.Type.text_single);
                count.addValue(Integer.toString(backend.replayDefault()));
            }
            case HISTORY -> {
                FormField action = form.addField("action", text.get("bot.form.action"), FormField.Type.list_single);
                action.setRequired(true);
                List.of("on", "off", "clear").forEach(a -> action.addOption(a, a));
            }
            case USER -> {
                form.addField("username", text.get("bot.form.username"), FormField.Type.text_single).setRequired(true);
                FormField action = form.addField("action", text.get("bot.form.action"), FormField.Type.list_single);
                action.setRequired(true);
                List.of("status", "on", "off").forEach(a -> action.addOption(a, a));
                action.addValue("status");
            }
            default -> {
            }
        }
        return form;
    }

    private static IQ completed(IQ request, Node node, String sessionId, String outcome) {
        IQ reply = reply(request, node, sessionId, "completed");
        Element note = reply.getChildElement().addElement("note");
        note.addAttribute("type", "info");
        note.setText(outcome);
        return reply;
    }

    private static IQ reply(IQ request, Node node, String sessionId, String status) {
        IQ reply = IQ.createResultIQ(request);
        Element command = reply.setChildElement("command", NAMESPACE);
        command.addAttribute("node", node.name);
        if (sessionId != null) {
            command.addAttribute("sessionid", sessionId);
        }
        command.addAttribute("status", status);
        return reply;
    }

    private static IQ error(IQ request, PacketError.Condition condition) {
        IQ error = IQ.createResultIQ(request);
        error.setChildElement(request.getChildElement().createCopy());
        error.setError(condition);
        return error;
    }

    /** An error with a text for the user (RFC 6120 8.3.2), in the user's language. */
    static IQ error(IQ request, PacketError.Condition condition, PacketError.Type type, String message, BotText text) {
        IQ error = IQ.createResultIQ(request);
        if (request.getChildElement() != null) {
            error.setChildElement(request.getChildElement().createCopy());
        }
        error.setError(new PacketError(condition, type, message, text.language()));
        return error;
    }
}
