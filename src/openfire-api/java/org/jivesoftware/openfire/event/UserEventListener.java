package org.jivesoftware.openfire.event;

import java.util.Map;
import org.jivesoftware.openfire.user.User;

/** Compile-only mirror of Openfire 5.1.1 {@code UserEventListener} (an interface, no default methods). */
public interface UserEventListener {
    void userCreated(User user, Map<String, Object> params);

    void userDeleting(User user, Map<String, Object> params);

    void userModified(User user, Map<String, Object> params);
}
