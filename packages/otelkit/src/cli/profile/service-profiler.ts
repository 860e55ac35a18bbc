import { setTimeout as sleep } from 'node:timers/promises';
import type { CpuProfile } from './cpu-profile.ts';
import { InspectorSession, type ProtocolChannel } from './inspector-session.ts';
import {
  type ProcessMeasure,
  STOP_METER_EXPRESSION,
  startMeterExpression,
} from './process-meter.ts';

/** The profile of one thread of one profiled process. */
export interface ThreadProfile {
  /** `process 1234` or `process 1234 worker 1`. */
  label: string;
  profile: CpuProfile;
}

/** Options of `new ServiceProfiler()`. */
export interface ServiceProfilerOptions {
  /** Microseconds between samples. */
  samplingIntervalMicros: number;
  /** Reports a problem that costs part of the profile but not all of it. */
  warn: (message: string) => void;
}

interface Target {
  session: InspectorSession;
  label: string;
  workers: Map<string, { channel: ProtocolChannel; label: string }>;
  profiling: boolean;
}

const CONNECT_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 30_000;
/** What the profiled processes measured of themselves between `start` and `stop`. */
export interface ProfilerResult {
  profiles: ThreadProfile[];
  /** Requests received on the counted port; `undefined` when not counting. */
  requests: number | undefined;
  /** User and system CPU time of the processes; `undefined` when none could say. */
  cpuMicros: number | undefined;
}

/**
 * Profiles every Node.js process of a service, and each one's worker threads,
 * through their inspectors: `attach` each inspector URL as it is announced,
 * `start` when the load starts, `stop` when it ends. Sessions close before the
 * service is stopped, so no process waits for a debugger to let it exit.
 */
export class ServiceProfiler {
  readonly #options: ServiceProfilerOptions;
  readonly #targets = new Set<Target>();
  readonly #announced: string[] = [];
  readonly #connecting = new Set<Promise<void>>();
  readonly #ended: ThreadProfile[] = [];
  #requests = 0;
  #cpuMicros: number | undefined;
  #countPort: number | undefined;
  #started = false;

  constructor(options: ServiceProfilerOptions) {
    this.#options = options;
  }

  /** Processes connected so far. */
  get processes(): number {
    return this.#targets.size;
  }

  /**
   * Takes note of a process's inspector. Connections wait for `start`, so that a
   * launcher which ends before the service is ready never waits for us.
   */
  attach(inspectorUrl: string): void {
    this.#announced.push(inspectorUrl);
    if (this.#started) this.#connectInBackground(inspectorUrl);
  }

  #connectInBackground(url: string): void {
    // A launcher (npm, npx) may have ended already: the service is another process.
    const connecting = this.#connect(url).catch(() => {});
    this.#connecting.add(connecting);
    void connecting.finally(() => this.#connecting.delete(connecting));
  }

  /**
   * Finds processes that ended while attached (they wait for the debugger to
   * let go, and their context is gone): takes their profile and disconnects.
   * For a process that ended before it could be asked to say so itself.
   */
  async releaseEnded(): Promise<void> {
    await Promise.all(
      [...this.#targets].map(async (target) => {
        // A busy process may take a while to answer; only an error means it has ended.
        const answer = target.session.send('Runtime.evaluate', { expression: '0' });
        const ended = await Promise.race([
          answer.then(() => false).catch(() => true),
          sleep(2_000, false, { ref: false }),
        ]);
        if (ended) await this.#release(target);
      }),
    );
  }

  /**
   * Connects to every process announced so far and starts the profiler in each
   * one and its workers. With `countRequestsOnPort`, counts the HTTP requests
   * the processes receive on that port (when the load is not ours to count).
   */
  async start(countRequestsOnPort?: number): Promise<void> {
    this.#started = true;
    this.#countPort = countRequestsOnPort;
    for (const url of this.#announced) this.#connectInBackground(url);
    await Promise.all(this.#connecting);
  }

  /**
   * Stops every profiler, collects the profiles (with those of processes that
   * ended meanwhile) and closes every session. `requests` is what the processes
   * counted, or `undefined` when not counting.
   */
  async stop(): Promise<ProfilerResult> {
    await Promise.all(this.#connecting);
    this.#started = false;
    const profiles = [...this.#ended];
    for (const collected of await Promise.all(
      [...this.#targets].map((t) => this.#stopProcess(t)),
    )) {
      profiles.push(...collected);
    }
    this.close();
    return {
      profiles,
      requests: this.#countPort === undefined ? undefined : this.#requests,
      cpuMicros: this.#cpuMicros,
    };
  }

  /** Closes every session. */
  close(): void {
    for (const target of this.#targets) target.session.close();
    this.#targets.clear();
  }

  async #connect(url: string): Promise<void> {
    const session = await InspectorSession.connect(url, CONNECT_TIMEOUT_MS);
    const pid = await session
      .send<{ result: { value?: unknown } }>('Runtime.evaluate', {
        expression: 'process.pid',
        returnByValue: true,
      })
      .then((r) => r.result.value)
      .catch(() => undefined);
    const target: Target = {
      session,
      label: `process ${pid ?? url}`,
      workers: new Map(),
      profiling: false,
    };
    session.on('NodeWorker.attachedToWorker', (params) => {
      const { sessionId, workerInfo } = params as {
        sessionId: string;
        workerInfo: { workerId: string };
      };
      const worker = {
        channel: session.worker(sessionId),
        label: `${target.label} worker ${workerInfo.workerId}`,
      };
      target.workers.set(sessionId, worker);
      if (target.profiling) void this.#startThread(worker.channel, worker.label);
    });
    session.on('NodeWorker.detachedFromWorker', (params) => {
      target.workers.delete((params as { sessionId: string }).sessionId);
    });
    // A process that ends while attached would wait for us to let go: take its
    // profile (if running) and disconnect.
    session.on('NodeRuntime.waitingForDisconnect', () => void this.#release(target));
    await session.send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true });
    this.#targets.add(target);
    if (this.#started) await this.#startProcess(target);
  }

  async #release(target: Target): Promise<void> {
    if (!this.#targets.delete(target)) return;
    this.#ended.push(...(await this.#stopProcess(target)));
    target.session.close();
  }

  async #startProcess(target: Target): Promise<void> {
    if (target.profiling) return;
    target.profiling = true;
    try {
      const meter = await target.session.send<{ exceptionDetails?: { text: string } }>(
        'Runtime.evaluate',
        { expression: startMeterExpression(this.#countPort) },
      );
      if (meter.exceptionDetails) {
        this.#options.warn(`cannot measure ${target.label}: ${meter.exceptionDetails.text}`);
      }
      await this.#startThread(target.session, target.label);
      // Attached workers announce themselves (now, and as they start) and are started on arrival.
      await target.session.send('NodeWorker.enable', { waitForDebuggerOnStart: false });
    } catch (error) {
      this.#options.warn(`could not profile ${target.label}: ${(error as Error).message}`);
    }
  }

  async #startThread(channel: ProtocolChannel, label: string): Promise<void> {
    try {
      await channel.send('Profiler.enable');
      await channel.send('Profiler.setSamplingInterval', {
        interval: this.#options.samplingIntervalMicros,
      });
      await channel.send('Profiler.start');
    } catch (error) {
      this.#options.warn(`could not profile ${label}: ${(error as Error).message}`);
    }
  }

  async #stopProcess(target: Target): Promise<ThreadProfile[]> {
    if (!target.profiling) return [];
    target.profiling = false;
    const threads = [
      ...[...target.workers.values()].map((w) => this.#stopThread(w.channel, w.label)),
      this.#stopThread(target.session, target.label),
    ];
    const measured = await target.session
      .send<{ result: { value?: ProcessMeasure | null } }>('Runtime.evaluate', {
        expression: STOP_METER_EXPRESSION,
        returnByValue: true,
      })
      .then((r) => r.result.value ?? undefined)
      .catch(() => undefined);
    if (measured !== undefined) {
      this.#requests += measured.requests;
      this.#cpuMicros = (this.#cpuMicros ?? 0) + measured.cpuMicros;
    }
    return (await Promise.all(threads)).filter((t): t is ThreadProfile => t !== undefined);
  }

  async #stopThread(channel: ProtocolChannel, label: string): Promise<ThreadProfile | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no profile within ${STOP_TIMEOUT_MS / 1000} s`)),
        STOP_TIMEOUT_MS,
      );
    });
    try {
      const { profile } = await Promise.race([
        channel.send<{ profile: CpuProfile }>('Profiler.stop'),
        timeout,
      ]);
      return { label, profile };
    } catch (error) {
      this.#options.warn(`no profile from ${label}: ${(error as Error).message}`);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
