/**
 * Small runtime checks for what the backend answers. zod is not a dependency of the card or
 * settings workspace (HubSpot builds and installs each extension folder on its own, hubspot.md
 * §1.8), so these few combinators stand in for it. Unknown keys are dropped.
 * Shared by the cards and the settings page through the npm workspace package @apiup/ui-shared
 * (hubspot-project/README.md, "Shared code", says why and how HubSpot builds it).
 */
export type Guard<T> = (value: unknown, path: string) => T;
export type Infer<G> = G extends Guard<infer T> ? T : never;

export class ShapeError extends Error {
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path}: expected ${expected}`);
    this.name = 'ShapeError';
  }
}

export const str: Guard<string> = (v, p) => {
  if (typeof v !== 'string') throw new ShapeError(p, 'a string');
  return v;
};

export const num: Guard<number> = (v, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError(p, 'a number');
  return v;
};

export const bool: Guard<boolean> = (v, p) => {
  if (typeof v !== 'boolean') throw new ShapeError(p, 'a boolean');
  return v;
};

export const anything: Guard<unknown> = (v) => v;

export function oneOf<const T extends readonly string[]>(...values: T): Guard<T[number]> {
  return (v, p) => {
    if (typeof v !== 'string' || !values.includes(v)) throw new ShapeError(p, `one of ${values.join('|')}`);
    return v as T[number];
  };
}

/** `null` and a missing key both become `null`. */
export function nullable<T>(guard: Guard<T>): Guard<T | null> {
  return (v, p) => (v === null || v === undefined ? null : guard(v, p));
}

export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v, p) => (v === undefined || v === null ? undefined : guard(v, p));
}

export function arrayOf<T>(guard: Guard<T>): Guard<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) throw new ShapeError(p, 'an array');
    return v.map((item, i) => guard(item, `${p}[${i}]`));
  };
}

export function recordOf<T>(guard: Guard<T>): Guard<Record<string, T>> {
  return (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(p, 'an object');
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, guard(item, `${p}.${k}`)]));
  };
}

export function object<S extends Record<string, Guard<unknown>>>(shape: S): Guard<{ [K in keyof S]: Infer<S[K]> }> {
  return (v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(p, 'an object');
    const source = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) out[key] = shape[key](source[key], `${p}.${key}`);
    return out as { [K in keyof S]: Infer<S[K]> };
  };
}

export function parse<T>(guard: Guard<T>, value: unknown): T {
  return guard(value, '$');
}
