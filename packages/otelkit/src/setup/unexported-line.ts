/** What otelkit's processors still hold as the process exits. */
export interface PendingCounts {
  readonly spans: number;
  readonly logRecords: number;
}

/**
 * The one line printed when the process exits before `shutdown()`
 * (`process.exit()` cannot wait for an export): what is lost, per signal,
 * and what to do instead. `undefined` when nothing is lost.
 */
export function unexportedLine(
  pending: PendingCounts,
  metricsPending: boolean,
): string | undefined {
  const lost: string[] = [];
  if (pending.spans > 0) lost.push(counted(pending.spans, 'span', 'spans'));
  if (pending.logRecords > 0) lost.push(counted(pending.logRecords, 'log record', 'log records'));
  if (lost.length === 0 && !metricsPending) return undefined;
  const metrics = 'the metrics recorded since the last export';
  const what =
    lost.length === 0
      ? `${metrics} were not exported`
      : `${lost.join(' and ')} ${pending.spans + pending.logRecords === 1 ? 'was' : 'were'} not exported${metricsPending ? `, nor ${metrics}` : ''}`;
  return `otelkit: the process exited before telemetry.shutdown(): ${what} (await shutdown() before process.exit(), or setup({ handleSignals: true }))`;
}

function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
