// What a Session tells the views of its model (see session.ts), and the set of
// listeners it tells: each view listens for the news it draws.
import type { Dirty } from "./store";
import type { Edit, Id } from "./types";

export type StatusKind = "info" | "error";

export interface SessionListener {
  /** The map changed; `dirty` says where. */
  changed?(dirty: Dirty): void;
  /** The selection changed. */
  selection?(ids: readonly Id[]): void;
  /** Something to tell the user in the status line. */
  status?(message: string, kind: StatusKind): void;
  /** How many edits wait for the kernel's answer. */
  pending?(count: number): void;
  /** Another browser's edit arrived: the ids it touched. Called after `changed`, so the
   * views already draw it. (Python's edits are the user's own cells: not announced.) */
  remote?(ids: readonly Id[], edit: Edit): void;
}

type Args<K extends keyof SessionListener> = Parameters<NonNullable<SessionListener[K]>>;

export class Listeners {
  private readonly all = new Set<SessionListener>();

  add(listener: SessionListener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  clear(): void {
    this.all.clear();
  }

  /** Tell every listener (a copy of the set: a listener may stop listening meanwhile). */
  emit<K extends keyof SessionListener>(name: K, ...args: Args<K>): void {
    for (const l of [...this.all]) (l[name] as ((...a: Args<K>) => void) | undefined)?.call(l, ...args);
  }
}
