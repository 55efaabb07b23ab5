// The little SQL surface the store needs, implemented twice: PGlite (embedded.ts) and node-postgres
// (postgres.ts). Every statement is plain PostgreSQL that both accept, so one set of repositories and
// migrations serves both.
export type SqlParam = string | number | boolean | null | Date;

export interface SqlExecutor {
  /** One statement with $1.. parameters; the rows it returns (RETURNING included). */
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<R[]>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  readonly kind: 'embedded' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
