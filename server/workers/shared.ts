/**
 * Read-only data for the worker pool in shared memory: a copy of an object (the road graph, a
 * population grid) whose typed arrays live in SharedArrayBuffers, made once per object. Posting it
 * to a worker then passes the arrays without copying them, so a task that needs a county's graph
 * costs the main thread handles, not megabytes; `sharedKey` names the object so a worker can keep
 * the indexes it builds on it (snapping) across tasks.
 */
const copies = new WeakMap<object, object>();
const keys = new WeakMap<object, string>();
let next = 0;

function share(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const view = value as unknown as { constructor: new (b: SharedArrayBuffer) => ArrayBufferView; byteLength: number };
    const copy = new view.constructor(new SharedArrayBuffer(view.byteLength)) as unknown as { set(a: ArrayLike<number>): void };
    copy.set(value as unknown as ArrayLike<number>);
    return copy;
  }
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, share(v)]));
}

/** `value` with its typed arrays in shared memory (the same copy every time for the same object). */
export function shared<T extends object>(value: T): T {
  let copy = copies.get(value);
  if (!copy) copies.set(value, (copy = share(value) as object));
  return copy as T;
}

/** A name for `value`, new for every object (a rebuilt graph gets a new one). */
export function sharedKey(value: object): string {
  let k = keys.get(value);
  if (!k) keys.set(value, (k = `shared-${process.pid}-${++next}`));
  return k;
}

/** What a task hands over: an object in shared memory and its name. */
export interface HandedOver<T> {
  key: string;
  value: T;
}

/** The graph or grid for a worker task: in shared memory, named so the worker keeps what it builds on it. */
export const handOver = <T extends object>(value: T | undefined): HandedOver<T> | undefined => value && { key: sharedKey(value), value: shared(value) };

/** In a worker: a few handed-over objects by name (a rebuilt network gets a new key; the old one ages out). */
const KEEP = 4;
const kept = new Map<string, object>();

/** In a worker: the object already kept under the item's key (with what was built on it), or the item's, kept now. */
export function keep<T extends object>(item: HandedOver<T> | undefined): T | undefined {
  if (!item) return undefined;
  const known = kept.get(item.key);
  if (known) return known as T;
  if (kept.size >= KEEP) kept.delete(kept.keys().next().value!);
  kept.set(item.key, item.value);
  return item.value;
}
