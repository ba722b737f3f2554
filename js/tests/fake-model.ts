// A small in-memory stand-in for the anywidget model, for front-end tests
// without a kernel. It behaves like the real one where views depend on it:
// `set` fires `change:<key>` listeners, `send` records custom messages, and
// `emitCustom` plays a message from Python.
import type { AnyModel } from "@anywidget/types";

// Matches anywidget's own EventHandler type, so the fake is assignable to AnyModel.
// biome-ignore lint/suspicious/noExplicitAny: anywidget's type, copied as it is
type Handler = (...args: any[]) => void;

// biome-ignore lint/suspicious/noExplicitAny: AnyModel's own constraint
export class FakeModel<T extends Record<string, any>> implements AnyModel<T> {
  /** Custom messages the view sent to Python, in order. */
  readonly sent: unknown[] = [];
  /** How many times the view called save_changes(). */
  saves = 0;
  readonly widget_manager = {
    get_model: (): Promise<never> => Promise.reject(new Error("FakeModel has no widget manager")),
  };

  private readonly state: T;
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(initial: T) {
    this.state = structuredClone(initial);
  }

  get<K extends keyof T>(key: K): T[K] {
    return this.state[key];
  }

  set<K extends keyof T>(key: K, value: T[K]): void {
    this.state[key] = value;
    this.emit(`change:${String(key)}`);
  }

  on(eventName: string, callback: Handler): void {
    let set = this.handlers.get(eventName);
    if (!set) {
      set = new Set();
      this.handlers.set(eventName, set);
    }
    set.add(callback);
  }

  off(eventName?: string | null, callback?: Handler | null): void {
    if (eventName == null) {
      this.handlers.clear();
    } else if (callback == null) {
      this.handlers.delete(eventName);
    } else {
      this.handlers.get(eventName)?.delete(callback);
    }
  }

  save_changes(): void {
    this.saves += 1;
  }

  send(content: unknown): void {
    this.sent.push(content);
  }

  /** Deliver a custom message as if the kernel had sent it. */
  emitCustom(msg: unknown, buffers: DataView[] = []): void {
    this.emit("msg:custom", msg, buffers);
  }

  /** Number of listeners for an event, to check views clean up after themselves. */
  listenerCount(eventName: string): number {
    return this.handlers.get(eventName)?.size ?? 0;
  }

  private emit(eventName: string, ...args: unknown[]): void {
    for (const handler of [...(this.handlers.get(eventName) ?? [])]) {
      handler(...args);
    }
  }
}
