-- xmpproxy schema 1 -> 2, for mariadb: history ids come in blocks of 1000 from Openfire's SequenceManager (type 1801),
-- unique across the nodes of a cluster. The first block starts above every id already in use.
INSERT INTO ofID (idType, id) SELECT 1801, COALESCE(MAX(id), 0) DIV 1000 + 1 FROM ofXmpproxyHistory;

UPDATE ofVersion SET version = 2 WHERE name = 'xmpproxy';
