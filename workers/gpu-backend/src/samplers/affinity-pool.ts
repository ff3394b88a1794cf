// Checkpoint-affinity scheduling over a fixed set of slots (vLLM servers on GPU groups, SGLang
// servers): a job whose checkpoint is loaded (or loading) in a slot joins it; otherwise it waits for
// an idle slot, which then loads that checkpoint for every job waiting on it, so a checkpoint is
// loaded once for all the sampling pending on it. A slot keeps its checkpoint until another needs it.

export interface Lease<L> {
  loaded: L;
  release(): void;
}

interface Slot<L> {
  index: number;
  checkpoint?: string;
  ready?: Promise<L>;
  loaded?: L;
  users: number;
}

interface Waiter<L> {
  checkpoint: string;
  resolve(slot: Slot<L>): void;
}

export class AffinityPool<L> {
  private readonly slots: Slot<L>[];
  private readonly waiters: Waiter<L>[] = [];

  constructor(
    size: number,
    /** Loads `checkpoint` into slot `index`, replacing `previous` (undefined when the slot is empty). */
    private readonly load: (index: number, checkpoint: string, previous: L | undefined) => Promise<L>,
    private readonly unload: (index: number, loaded: L) => Promise<void> = async () => {},
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, (_, index) => ({ index, users: 0 }));
  }

  async acquire(checkpoint: string): Promise<Lease<L>> {
    let slot = this.slots.find((s) => s.checkpoint === checkpoint);
    if (slot) slot.users++;
    else {
      slot = await new Promise<Slot<L>>((resolve) => {
        this.waiters.push({ checkpoint, resolve });
        this.pump();
      });
    }
    const held = slot;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.users--;
      this.pump();
    };
    try {
      return { loaded: await held.ready!, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Stops what every slot has loaded (shutdown). */
  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (slot) => {
        const loaded = await slot.ready?.catch(() => undefined);
        slot.checkpoint = undefined;
        slot.ready = undefined;
        slot.loaded = undefined;
        if (loaded !== undefined) await this.unload(slot.index, loaded);
      }),
    );
  }

  private pump(): void {
    while (this.waiters.length > 0) {
      const idle = this.slots.filter((s) => s.users === 0);
      if (idle.length === 0) return;
      const first = this.waiters[0];
      const slot = idle.find((s) => s.checkpoint === undefined) ?? idle[0];
      const previous = slot.loaded;
      slot.checkpoint = first.checkpoint;
      slot.loaded = undefined;
      const ready = this.load(slot.index, first.checkpoint, previous);
      slot.ready = ready;
      ready.then(
        (loaded) => {
          if (slot.ready === ready) slot.loaded = loaded;
        },
        () => {
          if (slot.ready === ready) {
            slot.checkpoint = undefined;
            slot.ready = undefined;
          }
        },
      );
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i].checkpoint !== first.checkpoint) continue;
        const [waiter] = this.waiters.splice(i, 1);
        slot.users++;
        waiter.resolve(slot);
      }
    }
  }
}
