package org.xmpproxy.store;

/** The store contract on a real Mariadb server. */
class MariadbStoreTest extends StoreContract {
    @Override
    TestDatabase database() {
        return TestDatabase.server("mariadb");
    }
}
