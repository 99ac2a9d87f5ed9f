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
