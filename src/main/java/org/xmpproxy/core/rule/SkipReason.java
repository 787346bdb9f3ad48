package org.xmpproxy.core.rule;

/** Why a message, or one resource, gets no copy. Each constant reads as the reason a user would be given. */
public enum SkipReason {
    // Why the whole message is not copied.
    MIRRORING_OFF("mirroring is off for this account"),
    GROUPCHAT("groupchat messages reach every client from the room itself"),
    HEADLINE("headlines are broadcast to every client by the server"),
    SERVICE("it goes to or comes from a service of this server (such as the xmpproxy bot), not a person"),
    PRIVATE("the sender asked for no copies (XEP-0280 <private/>)"),
    NO_COPY("the sender asked for no copies (XEP-0334 <no-copy/>)"),
    OFF_THE_RECORD("it belongs to an OTR session between two clients: another client would answer it"),
    ALREADY_A_CARBON("it is itself a carbon copy"),
    FORWARDED("it carries a forwarded message (a copy or an archive result), not a conversation message"),
    OWN_COPY("it is one of xmpproxy's own copies"),
    MUC_PRIVATE_FROM_OCCUPANT("a private message from a room occupant reaches every joined client from the room"),
    ERROR_TO_RESOURCE("an error to one resource answers that resource's own message"),
    NOT_CONVERSATION("it has no body and no chat payload (receipt, chat state, marker)"),
    WITHIN_ACCOUNT("it goes between resources of the same account"),
    NOBODY_RECEIVED("no resource received it: the server stored it offline or dropped it"),

    // Why one resource gets no copy.
    SENT_ORIGINAL("it sent the original"),
    RECEIVED_ORIGINAL("it received the original"),
    NATIVE_CARBONS("its own XEP-0280 carbons already bring it a copy"),
    MODE_OFF("its mode is off"),
    LEGACY_CANNOT_SHOW("a client without carbons would show it wrongly (it would look like the peer's)");

    private final String explanation;

    SkipReason(String explanation) {
        this.explanation = explanation;
    }

    public String explanation() {
        return explanation;
    }
}
