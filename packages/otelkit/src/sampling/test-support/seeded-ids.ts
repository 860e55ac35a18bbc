import type { IdGenerator } from '@opentelemetry/sdk-trace';

/**
 * Trace and span ids from a seeded generator (mulberry32): random enough for
 * consistent sampling, and the same from run to run, so a test knows which
 * traces a ratio keeps.
 */
export class SeededIds implements IdGenerator {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  generateTraceId(): string {
    return this.#hex(4);
  }

  generateSpanId(): string {
    return this.#hex(2);
  }

  #hex(words: number): string {
    let id = '';
    for (let i = 0; i < words; i++) id += this.#next().toString(16).padStart(8, '0');
    return id;
  }

  #next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
