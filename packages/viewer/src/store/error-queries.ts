import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Which errors to list. */
export interface ErrorFilter {
  service?: string;
  /** Errors at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Errors at or before this time (ms since the epoch); now when not given. */
  untilMs?: number;
}

/** One group of errors: same service, exception type, route and normalized message. */
export interface ErrorGroup {
  service: string;
  /** `exception.type`; empty for a failed span that recorded no exception. */
  type: string;
  /** `http.route` of the failed span or its local root; empty when unknown. */
  route: string;
  /** The message with numbers, hex ids and UUIDs replaced by `<n>`, `<hex>`, `<uuid>`. */
  message: string;
  count: number;
  /** First and last occurrence in the range, in ms since the epoch. */
  firstSeen: number;
  lastSeen: number;
  /** The cause chain's exception types, outer error first (of the latest occurrence). */
  chainTypes: string[];
  /** Traces of the latest occurrences, newest first (at most 5). */
  traceIds: string[];
  /** Occurrences per step of the range (see {@link ErrorList.stepMs}). */
  sparkline: number[];
}

/** The error groups of a range, most frequent first. */
export interface ErrorList {
  errors: ErrorGroup[];
  /** Start of the sparklines' first step, in ms since the epoch. */
  since: number;
  until: number;
  stepMs: number;
}

const sparklineSteps = 30;
const maxGroups = 200;
const latestTraces = 5;

/** The error list, from `error_events` through their (group, time) index. */
export class ErrorQueries {
  readonly #groups: StatementSync;
  readonly #groupsOf: StatementSync;
  readonly #bounds: StatementSync;
  readonly #bins: StatementSync;
  readonly #latest: StatementSync;

  constructor(db: DatabaseSync) {
    const groupColumns = 'id, service, type, route, message, chain_types';
    this.#groups = db.prepare(`SELECT ${groupColumns} FROM error_groups`);
    this.#groupsOf = db.prepare(`SELECT ${groupColumns} FROM error_groups WHERE service = ?`);
    this.#bounds = db.prepare(`SELECT CAST(min(time_ns) AS TEXT) AS first,
      CAST(max(time_ns) AS TEXT) AS last FROM error_events
      WHERE group_id = ? AND time_ns BETWEEN ? AND ?`);
    this.#bins = db.prepare(`SELECT (time_ns - ?1) / ?2 AS bin, count(*) AS n FROM error_events
      WHERE group_id = ?3 AND time_ns BETWEEN ?4 AND ?5 GROUP BY bin`);
    this.#latest = db.prepare(`SELECT trace_id FROM error_events
      WHERE group_id = ? AND time_ns BETWEEN ? AND ? ORDER BY time_ns DESC LIMIT 50`);
  }

  /** The error groups with occurrences in the range, most frequent first. */
  list(filter: ErrorFilter): ErrorList {
    const sinceNs = filter.sinceMs === undefined ? 0n : msToNs(filter.sinceMs);
    const untilNs = msToNs(filter.untilMs ?? Date.now());
    const rows =
      filter.service === undefined ? this.#groups.all() : this.#groupsOf.all(filter.service);
    // Each group's first and last occurrence cost two index probes; the earliest one starts
    // the sparklines when the range has no start.
    const found = [];
    for (const row of rows) {
      const bounds = this.#bounds.get(Number(row.id), sinceNs, untilNs);
      if (!bounds || bounds.first === null) continue;
      found.push({ row, first: BigInt(String(bounds.first)), last: BigInt(String(bounds.last)) });
    }
    let startNs = sinceNs;
    if (filter.sinceMs === undefined) {
      startNs = untilNs;
      for (const { first } of found) if (first < startNs) startNs = first;
    }
    const stepNs = (untilNs - startNs) / BigInt(sparklineSteps) + 1n;
    const groups = found.map(({ row, first, last }) => {
      const sparkline = new Array<number>(sparklineSteps).fill(0);
      let count = 0;
      for (const bin of this.#bins.iterate(startNs, stepNs, Number(row.id), sinceNs, untilNs)) {
        const n = Number(bin.n);
        count += n;
        const index = Number(bin.bin);
        if (index >= 0 && index < sparklineSteps) sparkline[index]! += n;
      }
      const group: ErrorGroup = {
        service: String(row.service),
        type: String(row.type),
        route: String(row.route),
        message: String(row.message),
        count,
        firstSeen: nsToMs(first),
        lastSeen: nsToMs(last),
        chainTypes: JSON.parse(String(row.chain_types)) as string[],
        traceIds: [],
        sparkline,
      };
      return { id: Number(row.id), group };
    });
    groups.sort((a, b) => b.group.count - a.group.count || b.group.lastSeen - a.group.lastSeen);
    const shown = groups.slice(0, maxGroups);
    for (const { id, group } of shown) {
      const traceIds = new Set<string>();
      for (const row of this.#latest.iterate(id, sinceNs, untilNs)) {
        traceIds.add(String(row.trace_id));
        if (traceIds.size >= latestTraces) break;
      }
      group.traceIds = [...traceIds];
    }
    return {
      errors: shown.map(({ group }) => group),
      since: nsToMs(startNs),
      until: nsToMs(untilNs),
      stepMs: Number(stepNs) / 1e6,
    };
  }
}

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1000)) * 1000n;
}

function nsToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}
