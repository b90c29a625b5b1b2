// Concurrency slots, with a gate that lets a single request through until one has been answered.

/**
 * The gate is why a wrong key costs one request and not `concurrency` of them: a 401/403 halts
 * the run before anything else leaves. Any other answer (even an error) opens it.
 */
export class Slots {
  readonly #max: number;
  #limit = 1;
  #busy = 0;
  /** FIFO of senders waiting for a slot; #head skips the ones already served. */
  #waiters: (((granted: boolean) => void) | undefined)[] = [];
  #head = 0;
  #halted = false;

  constructor(max: number) {
    this.#max = max;
  }

  /** true: a slot is held now. Otherwise a promise: true once one is handed over, false if halted. */
  acquire(): boolean | Promise<boolean> {
    if (this.#halted) return false;
    if (this.#busy < this.#limit && this.#head === this.#waiters.length) {
      this.#busy++;
      return true;
    }
    return new Promise<boolean>((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    this.#busy--;
    this.#drain();
  }

  open(): void {
    if (this.#limit === this.#max) return;
    this.#limit = this.#max;
    this.#drain();
  }

  /** Every waiter, now and later, is refused; holders keep their slots until they release them. */
  halt(): void {
    this.#halted = true;
    const waiters = this.#waiters;
    const head = this.#head;
    this.#waiters = [];
    this.#head = 0;
    for (let i = head; i < waiters.length; i++) waiters[i]?.(false);
  }

  #drain(): void {
    const waiters = this.#waiters;
    while (this.#busy < this.#limit && this.#head < waiters.length) {
      const next = waiters[this.#head];
      waiters[this.#head++] = undefined;
      this.#busy++;
      next?.(true);
    }
    // Keep the array from growing without bound under a long queue.
    if (this.#head > 1024 && this.#head * 2 > waiters.length) {
      this.#waiters = waiters.slice(this.#head);
      this.#head = 0;
    }
  }
}
