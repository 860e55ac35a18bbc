/** The few reads of the viewer's JSON API that the main job's summary needs. */
export interface TraceSummary {
  traceId: string;
  rootName: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

export interface ViewerStats {
  spans: number;
  logs: number;
  metricPoints: number;
  traces: number;
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

export interface MetricPoint {
  attributes: KeyValue[];
  [field: string]: unknown;
}

export function viewerClient(baseUrl: string) {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(new URL(path, baseUrl), { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`viewer answered ${response.status} for ${path}`);
    return (await response.json()) as T;
  };
  return {
    stats: () => get<ViewerStats>('/api/stats'),
    traces: async (query: Record<string, string>) =>
      (await get<{ traces: TraceSummary[] }>(`/api/traces?${new URLSearchParams(query)}`)).traces,
    trace: (traceId: string) =>
      get<{ spans: Array<Record<string, unknown> & { name: string; spanId: string }> }>(
        `/api/traces/${traceId}`,
      ),
    traceLogs: (traceId: string) =>
      get<{ logs: Array<Record<string, unknown>> }>(`/api/traces/${traceId}/logs`),
    metricPoints: async (name: string): Promise<MetricPoint[]> => {
      const { metrics } = await get<{ metrics: { points: MetricPoint[] }[] }>(
        `/api/metrics?name=${encodeURIComponent(name)}`,
      );
      return metrics.flatMap((m) => m.points);
    },
    traceUrl: (traceId: string) => `${baseUrl}/#/trace/${traceId}`,
  };
}

export type ViewerClient = ReturnType<typeof viewerClient>;

/** An attribute of an OTLP/JSON key-value list as a plain value. */
export function attribute(list: KeyValue[] | undefined, key: string): unknown {
  const value = list?.find((kv) => kv.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
}
