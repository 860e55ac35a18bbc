/**
 * Keeps the `k` greatest items seen, by `compare`, in a binary min-heap: a page of the newest or
 * slowest of many matches costs O(n log k), not a sort of every match.
 */
export class TopK<T> {
  readonly #k: number;
  readonly #compare: (a: T, b: T) => number;
  readonly #heap: T[] = [];

  constructor(k: number, compare: (a: T, b: T) => number) {
    this.#k = k;
    this.#compare = compare;
  }

  add(item: T): void {
    const heap = this.#heap;
    if (this.#k <= 0) return;
    if (heap.length < this.#k) {
      heap.push(item);
      this.#up(heap.length - 1);
    } else if (this.#compare(item, heap[0]!) > 0) {
      heap[0] = item;
      this.#down(0);
    }
  }

  /** The kept items, greatest first. */
  sortedDescending(): T[] {
    return [...this.#heap].sort((a, b) => this.#compare(b, a));
  }

  #up(index: number): void {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >>> 1;
      if (this.#compare(heap[index]!, heap[parent]!) >= 0) return;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #down(index: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.#compare(heap[left]!, heap[smallest]!) < 0) smallest = left;
      if (right < heap.length && this.#compare(heap[right]!, heap[smallest]!) < 0) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
