const maxReasons = 5;

/** One kind of refusal in a request: how many, and the first reason given. */
export interface RejectionKind {
  count: number;
  example: string;
}

/**
 * Counts refused items and keeps the first few reasons for `partial_success.error_message`, and
 * per kind of refusal (`invalid id`, `older than --max-age`, …) how many and one example, for
 * the line the viewer prints.
 */
export class RejectionLog {
  count = 0;
  readonly noun: string;
  readonly #reasons: string[] = [];
  readonly #kinds = new Map<string, RejectionKind>();

  constructor(noun: string) {
    this.noun = noun;
  }

  /** Records one refused item, `label` naming it for the sender, `kind` grouping it. */
  add(label: string, reason: string, kind = reason): void {
    this.count++;
    const text = label ? `${this.noun} "${label}": ${reason}` : `${this.noun}: ${reason}`;
    if (this.#reasons.length < maxReasons) this.#reasons.push(text);
    const known = this.#kinds.get(kind);
    if (known) known.count++;
    else this.#kinds.set(kind, { count: 1, example: text });
  }

  /** The refusals by kind. */
  kinds(): ReadonlyMap<string, RejectionKind> {
    return this.#kinds;
  }

  /** The reasons joined, with a note when some were left out; empty when nothing was refused. */
  message(): string {
    if (this.count === 0) return '';
    const more = this.count - this.#reasons.length;
    const nouns = this.count === 1 ? this.noun : `${this.noun}s`;
    return `rejected ${this.count} ${nouns}: ${this.#reasons.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  }
}
