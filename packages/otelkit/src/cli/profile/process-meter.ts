/** What one process measured of itself while it was profiled. */
export interface ProcessMeasure {
  /** User and system CPU time of every thread of the process. */
  cpuMicros: number;
  /** HTTP requests its servers received on the counted port (0 when not counting). */
  requests: number;
}

/**
 * The expression, evaluated in a profiled process through its inspector, that
 * starts measuring it: its CPU time as the OS counts it (every thread, native
 * work included) and, with `port`, the HTTP requests its servers receive on
 * that port, from Node's own diagnostics channel.
 */
export function startMeterExpression(port: number | undefined): string {
  return `(() => {
  const key = Symbol.for('otelkit.profile.meter');
  globalThis[key]?.stop();
  const meter = { cpu: process.cpuUsage(), requests: 0, stop: () => {} };
  if (${port ?? 'undefined'} !== undefined) {
    const channel = process.getBuiltinModule('node:diagnostics_channel').channel('http.server.request.start');
    const onRequest = (message) => { if (message.socket?.localPort === ${port}) meter.requests++; };
    channel.subscribe(onRequest);
    meter.stop = () => channel.unsubscribe(onRequest);
  }
  globalThis[key] = meter;
})()`;
}

/** The expression that stops the meter and returns its `ProcessMeasure` (or null without one). */
export const STOP_METER_EXPRESSION = `(() => {
  const key = Symbol.for('otelkit.profile.meter');
  const meter = globalThis[key];
  if (!meter) return null;
  meter.stop();
  delete globalThis[key];
  const cpu = process.cpuUsage(meter.cpu);
  return { cpuMicros: cpu.user + cpu.system, requests: meter.requests };
})()`;
