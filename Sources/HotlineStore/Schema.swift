internal import GRDB

/// Versioned migrations. Never edit a shipped migration: add a new one.
///
/// Representation choices:
/// - times are whole seconds since the Unix epoch (UTC) in `INTEGER` columns;
///   the zone used to read and print them is `meta.time_zone`;
/// - a category path is stored whole (`a->b->c`) plus its first two levels;
/// - lists (departments) and the audit row are JSON text;
/// - `row_hash` is a stable 64-bit FNV-1a hash of every stored field, used to
///   tell an unchanged re-import from an update.
enum Schema {
  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
          );
          CREATE TABLE ticket (
            id TEXT NOT NULL UNIQUE,
            received_at INTEGER NOT NULL,
            dispatched_at INTEGER,
            deadline_at INTEGER,
            closed_at INTEGER,
            caller_key TEXT,
            caller_mask TEXT,
            contact_key TEXT,
            channel TEXT,
            kind TEXT,
            category TEXT NOT NULL DEFAULT '',
            category_l1 TEXT,
            category_l2 TEXT,
            title TEXT,
            text TEXT NOT NULL,
            district TEXT,
            street TEXT,
            community TEXT,
            address TEXT,
            lon REAL,
            lat REAL,
            crs TEXT,
            departments TEXT NOT NULL DEFAULT '[]',
            transfer_count INTEGER,
            status TEXT,
            resolution TEXT,
            satisfaction TEXT,
            parent_id TEXT,
            raw TEXT NOT NULL DEFAULT '{}',
            row_hash INTEGER NOT NULL,
            source_file TEXT,
            source_line INTEGER,
            import_run INTEGER,
            imported_at INTEGER NOT NULL,
            updated_at INTEGER
          );
          CREATE INDEX ticket_received_at ON ticket(received_at);
          CREATE INDEX ticket_caller_key ON ticket(caller_key);
          CREATE TABLE import_run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            file TEXT NOT NULL,
            file_size INTEGER,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            read INTEGER NOT NULL DEFAULT 0,
            imported INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running'
          );
          """)
    }
    m.registerMigration("v2-topics") { db in
      try db.execute(
        sql: """
          CREATE TABLE topic_run (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at INTEGER NOT NULL,
            method TEXT NOT NULL,
            seed INTEGER NOT NULL,
            config TEXT NOT NULL,
            tickets INTEGER NOT NULL,
            topics INTEGER NOT NULL,
            outliers INTEGER NOT NULL
          );
          CREATE TABLE topic (
            run INTEGER NOT NULL REFERENCES topic_run(id) ON DELETE CASCADE,
            id INTEGER NOT NULL,
            label TEXT NOT NULL,
            size INTEGER NOT NULL,
            terms TEXT NOT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (run, id)
          );
          CREATE TABLE ticket_topic (
            ticket_id TEXT PRIMARY KEY NOT NULL,
            run INTEGER NOT NULL REFERENCES topic_run(id) ON DELETE CASCADE,
            topic INTEGER NOT NULL
          );
          CREATE INDEX ticket_topic_topic ON ticket_topic(run, topic);
          """)
    }
    return m
  }

  /// The ticket columns written on insert and update, in bind order.
  static let ticketColumns = [
    "id", "received_at", "dispatched_at", "deadline_at", "closed_at", "caller_key", "caller_mask",
    "contact_key", "channel", "kind", "category", "category_l1", "category_l2", "title", "text",
    "district", "street", "community", "address", "lon", "lat", "crs", "departments",
    "transfer_count", "status", "resolution", "satisfaction", "parent_id", "raw", "row_hash",
    "source_file", "source_line", "import_run",
  ]
}
