package org.xmpproxy.bot;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.forms.DataForm;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * The bot's commands as XEP-0050 ad-hoc commands with XEP-0004 forms, for clients with a commands menu.
 * Which commands are offered, and their forms, are {@link CommandHandler}'s table: each runs the same
 * action as the chat command of that name; commands that need input first answer with a form, then run
 * on its submission with the form's answers as the chat command's arguments. Open forms are bounded by
 * {@link PendingForms}; every request has already passed the bot's rate limit.
 */
public final class AdHocCommands {
    public static final String NAMESPACE = "http://jabber.org/protocol/commands";
    private static final String SESSION_MISMATCH = "bad-sessionid";

    private final CommandHandler commands;
    private final PendingForms forms;

    AdHocCommands(CommandHandler commands, PendingForms forms) {
        this.commands = commands;
        this.forms = forms;
    }

    /** The disco#items answer for node {@value #NAMESPACE}: the commands this user may run. */
    public void listInto(Element query, JID bot, JID user, BotText text) {
        for (String node : commands.adHocNodes()) {
            if (commands.mayUse(user, node)) {
                Element item = query.addElement("item");
                item.addAttribute("jid", bot.toString());
                item.addAttribute("node", node);
                item.addAttribute("name", text.get("bot.help." + node + ".summary"));
            }
        }
    }

    public boolean isCommandNode(String node) {
        return commands.adHoc(node) != CommandHandler.AdHoc.NONE;
    }

    /** Answers an IQ set carrying {@code <command/>}. */
    public IQ execute(IQ request, BotText text) {
        Element command = request.getChildElement();
        String node = command.attributeValue("node");
        JID user = request.getFrom();
        CommandHandler.AdHoc offered = commands.adHoc(node);
        if (offered == CommandHandler.AdHoc.NONE || !commands.mayUse(user, node)) {
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
            if (offered == CommandHandler.AdHoc.AT_ONCE) {
                return completed(request, node, UUID.randomUUID().toString(), commands.run(user, node, List.of(), text));
            }
            Optional<String> id = forms.open(user.asBareJID(), node);
            if (id.isEmpty()) {
                return error(request, PacketError.Condition.resource_constraint, PacketError.Type.wait, text.get("bot.form.busy"), text);
            }
            IQ reply = reply(request, node, id.get(), "executing");
            Element actions = reply.getChildElement().addElement("actions");
            actions.addAttribute("execute", "complete");
            actions.addElement("complete");
            reply.getChildElement().add(commands.form(node, user, text).getElement());
            return reply;
        }
        if (forms.take(sessionId, user.asBareJID(), node).isEmpty()) {
            IQ error = error(request, PacketError.Condition.bad_request, PacketError.Type.modify,
                    text.get("bot.form.expired", PendingForms.MAX_AGE.toMinutes()), text);
            error.getError().getElement().addElement(SESSION_MISMATCH, NAMESPACE);
            return error;
        }
        DataForm submitted = new DataForm(formElement);
        return completed(request, node, sessionId, commands.run(user, node, commands.arguments(node, submitted), text));
    }

    private static IQ completed(IQ request, String node, String sessionId, String outcome) {
        IQ reply = reply(request, node, sessionId, "completed");
        Element note = reply.getChildElement().addElement("note");
        note.addAttribute("type", "info");
        note.setText(outcome);
        return reply;
    }

    private static IQ reply(IQ request, String node, String sessionId, String status) {
        IQ reply = IQ.createResultIQ(request);
        Element command = reply.setChildElement("command", NAMESPACE);
        command.addAttribute("node", node);
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
