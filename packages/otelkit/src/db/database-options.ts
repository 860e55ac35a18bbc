/** Options of database and cache client tracing: the object form of `setup({ databases })`. */
export interface DatabaseOptions {
  /**
   * Record `db.query.text`: the SQL as the app wrote it with its placeholders,
   * every literal written into it replaced by `?`; for Redis, the command with
   * its key arguments, every value replaced by `?`. `false` leaves the text
   * out; the operation and collection names stay.
   * @default true
   * @example { queryText: false }
   */
  queryText?: boolean;
}
