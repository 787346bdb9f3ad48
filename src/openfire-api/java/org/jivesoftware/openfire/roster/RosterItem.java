package org.jivesoftware.openfire.roster;

/** Compile-only mirror of Openfire 5.1.1 {@code RosterItem} (a class with a nested SubType enum). */
public class RosterItem {
    public enum SubType { REMOVE, NONE, TO, FROM, BOTH }

    public static final SubType SUB_BOTH = SubType.BOTH;

    private RosterItem() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void setSubStatus(SubType subStatus) {
        throw new UnsupportedOperationException("compile-only mirror");
    }
}
