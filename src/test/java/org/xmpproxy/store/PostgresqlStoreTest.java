package org.xmpproxy.store;

/** The store contract on a real Postgresql server. */
class PostgresqlStoreTest extends StoreContract {
    @Override
    TestDatabase database() {
        return TestDatabase.server("postgresql");
    }
}
