// Which Session serves a widget model (see session.ts).
import { type Model, Session } from "./session";

// anywidget hands `initialize` and `render` different proxies of one model, so
// sessions are found by the model's `_uid` trait (set by Python); a model
// without one (a hand-made model in a standalone page) is its own key.
const byUid = new Map<string, { session: Session; users: number }>();
const byModel = new WeakMap<object, { session: Session; users: number }>();

function slot(model: Model): {
  get(): { session: Session; users: number } | undefined;
  set(v: { session: Session; users: number }): void;
  drop(): void;
} {
  const uid = model.get("_uid");
  if (typeof uid === "string" && uid !== "") {
    return { get: () => byUid.get(uid), set: (v) => void byUid.set(uid, v), drop: () => void byUid.delete(uid) };
  }
  return {
    get: () => byModel.get(model),
    set: (v) => void byModel.set(model, v),
    drop: () => void byModel.delete(model),
  };
}

/** The model's session, created on first use; call the returned release when done. */
export function acquireSession(model: Model): { session: Session; release: () => void } {
  const s = slot(model);
  let entry = s.get();
  if (!entry) {
    entry = { session: new Session(model), users: 0 };
    s.set(entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    session: held.session,
    release: () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users <= 0) {
        held.session.dispose();
        if (s.get() === held) s.drop();
      }
    },
  };
}
