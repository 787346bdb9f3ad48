-- xmpproxy schema, version 2, for cockroachdb.
-- Openfire's SchemaManager runs this on first load: statements end at a line ending in ';'.
-- Per-account choices; NULL means "follow the server default".

CREATE TABLE ofXmpproxyAccount (
  username              VARCHAR(64)     NOT NULL,
  mirroringOn           INTEGER,
  historyOn             INTEGER,
  catchupCount          INTEGER,
  catchupAgeSecs        BIGINT,
  botAdded              INTEGER,
  modified              BIGINT          NOT NULL,
  CONSTRAINT ofXmpproxyAccount_pk PRIMARY KEY (username)
);

-- Per (account, resource); resourceHash (SHA-1 hex of the resource) keys it, as a resource may be 1023 bytes.
CREATE TABLE ofXmpproxyResource (
  username              VARCHAR(64)     NOT NULL,
  resourceHash          CHAR(40)        NOT NULL,
  resourceName          VARCHAR(1024)   NOT NULL,
  copyMode              VARCHAR(16),
  lastSeen              BIGINT,
  liveSpans             VARCHAR(1024),
  CONSTRAINT ofXmpproxyResource_pk PRIMARY KEY (username, resourceHash)
);

-- Messages the account sent or received that were eligible for copying, for catch-up and replay.
CREATE TABLE ofXmpproxyHistory (
  id                    BIGINT          NOT NULL,
  username              VARCHAR(64)     NOT NULL,
  sentAt                BIGINT          NOT NULL,
  direction             CHAR(1)         NOT NULL,
  peer                  VARCHAR(1024)   NOT NULL,
  wasDelivered          INTEGER         NOT NULL,
  stanza                TEXT NOT NULL,
  CONSTRAINT ofXmpproxyHistory_pk PRIMARY KEY (id)
);
CREATE INDEX ofXmpproxyHistory_user_idx ON ofXmpproxyHistory (username, sentAt);

-- The history's id blocks (HistoryStore.BLOCK_SIZE ids each), cluster-unique through Openfire's SequenceManager.
INSERT INTO ofID (idType, id) VALUES (1801, 1);

INSERT INTO ofVersion (name, version) VALUES ('xmpproxy', 2);
