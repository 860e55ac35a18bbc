import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Options of `startServiceProcess`. */
export interface ServiceProcessOptions {
  /** The command and its arguments, run without a shell. */
  command: string[];
  /** Variables added to the environment. */
  env?: Record<string, string>;
  /** Called with each inspector URL a Node.js process of the service announces. */
  onInspector: (url: string) => void;
  /** Called when a process of the service has ended but waits for a debugger to let go. */
  onInspectorWaiting: () => void;
  /** Where the service's own output goes, line by line. */
  onOutput: (line: string) => void;
}

/** How a service process ended. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the command could not be started at all. */
  error?: string;
}

/** A started service: the URLs it printed, how it ended, a clean stop. */
export interface ServiceProcess {
  readonly pid: number | undefined;
  /** The first `http(s)://` URL the service printed, once it has. */
  readonly printedUrl: string | undefined;
  /** Set once the process has ended. */
  readonly exit: ServiceExit | undefined;
  /** Settles when the process ends (or could not start). */
  readonly exited: Promise<ServiceExit>;
  /**
   * Sends SIGTERM to the service's process group (the launcher and what it
   * started) and waits up to `timeoutMs` for it to end, then sends SIGKILL.
   * Resolves with how it ended and whether it had to be killed.
   */
  stop(timeoutMs: number): Promise<ServiceExit & { killed: boolean }>;
}

const INSPECTOR_LISTENING = /^Debugger listening on (ws:\/\/\S+)/;
// The inspector's other chatter on stderr, which is not the service's output.
const INSPECTOR_WAITING = /^Waiting for the debugger to disconnect/;
const INSPECTOR_NOISE =
  /^(?:For help, see: https:\/\/nodejs\.org\/|Debugger attached\.|Debugger ending on )/;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'`<>)\]},]+/;

/**
 * Starts the service with every Node.js process it runs listening for an
 * inspector on a random loopback port (through `NODE_OPTIONS`, so `npm start`
 * or a shell script work as well as `node app.js`), in a process group of its
 * own so that a Ctrl-C meant for `otelkit profile` does not reach it first.
 */
export function startServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const [file, ...args] = options.command;
  if (file === undefined) throw new Error('no command to start the service');
  const inspect = '--inspect=127.0.0.1:0';
  const nodeOptions = [process.env.NODE_OPTIONS, inspect].filter(Boolean).join(' ');
  const groups = process.platform !== 'win32';
  const child: ChildProcess = spawn(file, args, {
    env: { ...process.env, ...options.env, NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: groups,
  });
  let printedUrl: string | undefined;
  let exit: ServiceExit | undefined;
  const onLine = (line: string) => {
    const inspector = INSPECTOR_LISTENING.exec(line);
    if (inspector) {
      options.onInspector(inspector[1]!);
      return;
    }
    if (INSPECTOR_WAITING.test(line)) {
      options.onInspectorWaiting();
      return;
    }
    if (INSPECTOR_NOISE.test(line)) return;
    options.onOutput(line);
    if (printedUrl === undefined) {
      const found = URL_IN_TEXT.exec(line);
      if (found) printedUrl = reachable(found[0].replace(/[.:;]+$/, '')) ?? printedUrl;
    }
  };
  readLines(child.stdout!, onLine);
  readLines(child.stderr!, onLine);

  const exited = new Promise<ServiceExit>((resolve) => {
    const ended = (how: ServiceExit) => {
      exit ??= how;
      resolve(exit);
    };
    child.once('exit', (code, signal) => ended({ code, signal }));
    child.once('error', (error) => {
      ended({ code: null, signal: null, error: `could not start "${file}": ${error.message}` });
    });
  });
  // Never leave the service running behind us, whatever ends this process.
  const killOnExit = () => signalGroup(child, 'SIGKILL', groups);
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  return {
    pid: child.pid,
    get printedUrl() {
      return printedUrl;
    },
    get exit() {
      return exit;
    },
    exited,
    async stop(timeoutMs) {
      if (exit !== undefined) {
        signalGroup(child, 'SIGTERM', groups);
        return { ...exit, killed: false };
      }
      signalGroup(child, 'SIGTERM', groups);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), timeoutMs);
      });
      const ended = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (ended !== 'late') return { ...ended, killed: false };
      signalGroup(child, 'SIGKILL', groups);
      return { ...(await exited), killed: true };
    },
  };
}

/** Signals the child's whole process group (or, without groups, the child alone). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals, groups: boolean): void {
  if (child.pid === undefined) return;
  try {
    if (groups) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

/** A URL the service printed, with a wildcard host replaced by loopback. */
function reachable(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.hostname === '0.0.0.0') parsed.hostname = '127.0.0.1';
  if (parsed.hostname === '[::]') parsed.hostname = '[::1]';
  return parsed.href;
}

function readLines(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let end = buffered.indexOf('\n');
    while (end !== -1) {
      onLine(buffered.slice(0, end).replace(/\r$/, ''));
      buffered = buffered.slice(end + 1);
      end = buffered.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buffered !== '') onLine(buffered);
  });
}
