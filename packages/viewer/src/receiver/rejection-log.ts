const maxReasons = 5;

/** Counts refused items and keeps the first few reasons for `partial_success.error_message`. */
export class RejectionLog {
  count = 0;
  readonly #noun: string;
  readonly #reasons: string[] = [];

  constructor(noun: string) {
    this.#noun = noun;
  }

  /** Records one refused item, `label` naming it for the sender. */
  add(label: string, reason: string): void {
    this.count++;
    if (this.#reasons.length < maxReasons) {
      this.#reasons.push(
        label ? `${this.#noun} "${label}": ${reason}` : `${this.#noun}: ${reason}`,
      );
    }
  }

  /** The reasons joined, with a note when some were left out; empty when nothing was refused. */
  message(): string {
    if (this.count === 0) return '';
    const more = this.count - this.#reasons.length;
    return `rejected ${this.count} ${this.#noun}(s): ${this.#reasons.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  }
}
