/**
 * A fixed-capacity FIFO that overwrites its oldest item when full. O(1) push. The array grows as
 * items arrive, up to `capacity` (until then `start` is 0, so items are appended in order): every
 * pod has one, and a pod that prints little must not hold a capacity-sized array from its start.
 */
export class RingBuffer<T> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;

  /** @param capacity most items kept (>= 0; 0 keeps nothing). */
  constructor(private capacity: number) {
    this.items = [];
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }

  /** Keeps the newest `capacity` items. */
  resize(capacity: number): void {
    const kept = capacity === 0 ? [] : this.toArray().slice(-capacity);
    this.capacity = capacity;
    this.items = [];
    this.start = 0;
    this.count = 0;
    for (const item of kept) this.push(item);
  }
}
