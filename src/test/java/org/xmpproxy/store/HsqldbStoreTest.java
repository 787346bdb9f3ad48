package org.xmpproxy.store;

/** The store contract on a real Hsqldb server. */
class HsqldbStoreTest extends StoreContract {
    @Override
    TestDatabase database() {
        return TestDatabase.hsqldb();
    }
}
