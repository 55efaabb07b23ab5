// Where the durable store lives (config contract, "ADDED (issue 4)"): embedded by default (PGlite, a
// directory under DATA_DIR/store, no server to install), PostgreSQL when DATABASE_URL is set. Both run
// the same SQL and the same migrations (migrations.ts).
export type StoreOptions =
  | {
      readonly kind: 'embedded';
      /** The PGlite data directory, one per service (PGlite serves one process only). */
      readonly directory: string;
    }
  | {
      readonly kind: 'postgres';
      readonly connectionString: string;
      /** Pool size (default 10). */
      readonly maxConnections?: number;
    };
