/** Fixed-capacity log that overwrites its oldest entries, so a benchmark cannot grow memory. */
export class RingBuffer<T> {
  private items: (T | undefined)[];
  private next = 0;
  private size = 0;

  constructor(private capacity: number) {
    this.items = new Array<T | undefined>(Math.max(1, capacity));
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.items.length;
    if (this.size < this.items.length) this.size += 1;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.next - this.size + this.items.length) % this.items.length;
    for (let i = 0; i < this.size; i += 1) {
      const item = this.items[(start + i) % this.items.length];
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  clear(): void {
    this.items = new Array<T | undefined>(Math.max(1, this.capacity));
    this.next = 0;
    this.size = 0;
  }
}
