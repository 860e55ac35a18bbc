import type { DestinationStream } from 'pino';

/** pino's documented flag: a destination that sets it is told each line's level, object and logger. */
const NEEDS_METADATA = Symbol.for('pino.metadata');

/** What pino writes on a destination that asks for metadata. */
interface Metadata {
  lastLevel?: unknown;
  lastObj?: unknown;
  lastMsg?: unknown;
  lastTime?: unknown;
  lastLogger?: unknown;
}

/** Receives each line pino writes while a capture holds a call. */
export type LineReader<Call> = (line: unknown, call: Call) => void;

/**
 * The destination a logger writes to for the length of one log call that is
 * exported: it passes every line, unchanged and first, to the logger's own
 * destination, then hands the same text (pino's serialization, after `redact`,
 * serializers, formatters and `hooks.streamWrite`) to the reader with the
 * call it belongs to. A destination that asks for pino's metadata (a
 * multistream) still gets it.
 */
export class LineCapture<Call> implements DestinationStream {
  readonly target: DestinationStream;
  readonly #read: LineReader<Call>;
  /** The call whose lines are being written, or `undefined` between calls. */
  call: Call | undefined = undefined;
  /** Whether the destination asks for metadata, as pino reads it: set once, as a multistream sets it. */
  readonly [NEEDS_METADATA]: boolean;

  constructor(target: DestinationStream, read: LineReader<Call>) {
    this.target = target;
    this.#read = read;
    this[NEEDS_METADATA] = (target as { [NEEDS_METADATA]?: unknown })[NEEDS_METADATA] === true;
  }

  write(line: string): void {
    const target = this.target;
    if (this[NEEDS_METADATA]) copyMetadata(this as Metadata, target as Metadata);
    target.write(line);
    const call = this.call;
    if (call === undefined) return;
    try {
      this.#read(line, call);
    } catch {
      // A failing export never touches the line.
    }
  }
}

function copyMetadata(from: Metadata, to: Metadata): void {
  to.lastLevel = from.lastLevel;
  to.lastObj = from.lastObj;
  to.lastMsg = from.lastMsg;
  to.lastTime = from.lastTime;
  to.lastLogger = from.lastLogger;
}

/** One capture per destination, for the loggers of one `createLogger()`. */
export class LineCaptures<Call> {
  readonly #read: LineReader<Call>;
  readonly #byTarget = new WeakMap<DestinationStream, LineCapture<Call>>();
  #last: LineCapture<Call> | undefined;

  constructor(read: LineReader<Call>) {
    this.#read = read;
  }

  /** The capture of `destination`; a capture already lent (a log call inside a log call) is itself. */
  of(destination: DestinationStream): LineCapture<Call> {
    if (destination instanceof LineCapture) return destination as LineCapture<Call>;
    const last = this.#last;
    if (last?.target === destination) return last;
    let capture = this.#byTarget.get(destination);
    if (capture === undefined) {
      capture = new LineCapture(destination, this.#read);
      this.#byTarget.set(destination, capture);
    }
    this.#last = capture;
    return capture;
  }
}
