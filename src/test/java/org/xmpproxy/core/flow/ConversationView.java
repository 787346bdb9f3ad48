package org.xmpproxy.core.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.xmpp.packet.Message;
import org.xmpproxy.core.stanza.Namespaces;

/** What a chat client shows: the conversation messages in its inbox, by id, whatever form they came in. */
public final class ConversationView {
    private ConversationView() {
    }

    /** The ids of the conversation messages a client shows, in arrival order (a duplicate shows twice). */
    public static List<String> shownIds(List<Message> inbox) {
        List<String> ids = new ArrayList<>();
        for (Message message : inbox) {
            Element carbon = firstOf(message, "sent", "received");
            Element mark = message.getChildElement("copy", Namespaces.XMPPROXY);
            if (carbon != null) {
                ids.add(carbon.element("forwarded").element("message").attributeValue("id"));
            } else if (mark != null && mark.element("forwarded") != null) {
                ids.add(mark.element("forwarded").element("message").attributeValue("id"));
            } else {
                ids.add(message.getID());
            }
        }
        return ids;
    }

    public static Map<String, Integer> counts(List<Message> inbox) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        shownIds(inbox).forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }

    private static Element firstOf(Message message, String... names) {
        for (String name : names) {
            Element element = message.getChildElement(name, Namespaces.CARBONS);
            if (element != null) {
                return element;
            }
        }
        return null;
    }
}
