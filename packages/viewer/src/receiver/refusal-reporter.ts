/** One refusal to report: a request, or items of one, refused for one reason. */
export interface Refusal {
  /** The kind of refusal, the unit of rate limiting: `413`, `span: an invalid id`, … */
  kind: string;
  /** How many requests or items. */
  count: number;
  /** What was refused, singular: `request`, `span`, `log record`, `data point`. */
  noun: string;
  /** Who sent it: the client's address and, when it sends one, its User-Agent. */
  peer: string;
  /** The reason, as the sender was told it. */
  example: string;
}

interface Window {
  count: number;
  noun: string;
  peers: Set<string>;
  timer: NodeJS.Timeout;
}

const maxPeersNamed = 3;

const plural = (count: number, noun: string) => `${count} ${count === 1 ? noun : `${noun}s`}`;

/**
 * Prints one line per kind of refusal, at most one per kind every `windowMs`: the first at
 * once, with its reason and sender; later ones of the same kind summed up at the end of the
 * window (how many, from whom), so that a misconfigured exporter shows without flooding the
 * terminal.
 */
export class RefusalReporter {
  readonly #print: (line: string) => void;
  readonly #windowMs: number;
  readonly #windows = new Map<string, Window>();

  constructor(print: (line: string) => void, windowMs = 10_000) {
    this.#print = print;
    this.#windowMs = windowMs;
  }

  /** Reports `refusal` now, or adds it to its kind's next summary line. */
  report(refusal: Refusal): void {
    const open = this.#windows.get(refusal.kind);
    if (open) {
      open.count += refusal.count;
      open.peers.add(refusal.peer);
      return;
    }
    this.#print(
      `refused ${plural(refusal.count, refusal.noun)} from ${refusal.peer}: ${refusal.example}`,
    );
    this.#open(refusal.kind, refusal.noun);
  }

  #open(kind: string, noun: string): void {
    const timer = setTimeout(() => this.#close(kind), this.#windowMs);
    timer.unref();
    this.#windows.set(kind, { count: 0, noun, peers: new Set(), timer });
  }

  #close(kind: string): void {
    const window = this.#windows.get(kind);
    this.#windows.delete(kind);
    if (!window || window.count === 0) return;
    const peers = [...window.peers];
    const named = peers.slice(0, maxPeersNamed).join(', ');
    const others = peers.length > maxPeersNamed ? ` and ${peers.length - maxPeersNamed} more` : '';
    const seconds = Math.round(this.#windowMs / 1000);
    this.#print(
      `refused ${plural(window.count, window.noun)} more in the last ${seconds} s (${kind}) from ${named}${others}`,
    );
    // Refusals that go on keep one summary line per window.
    this.#open(kind, window.noun);
  }

  /** Stops the windows' timers; pending summaries are not printed. */
  close(): void {
    for (const window of this.#windows.values()) clearTimeout(window.timer);
    this.#windows.clear();
  }
}
