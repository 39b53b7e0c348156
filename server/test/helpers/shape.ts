/**
 * Compares the shape of a sandbox's answer with a recorded real answer of the same call: the same
 * keys, the same JSON types, and null where the real service sends null. Values are not compared
 * (ids, dates and names differ); arrays are compared element by element against the recorded
 * array's first element, so a recorded list of one entry describes every entry.
 */

export type JsonType = 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object';

export interface ShapeOptions {
  /** Keys the recorded answer has that the sandbox may leave out (documented as optional). */
  optionalKeys?: string[];
  /** Keys the sandbox may add that the recording lacks (e.g. a newer API version's field). */
  extraKeys?: string[];
  /** Paths (`a.b[].c`) whose type may differ, e.g. where the vendor documents "string or number". */
  looseTypes?: string[];
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** Differences between the recorded shape and the sandbox's, as readable lines; empty when they agree. */
export function compareShape(recorded: unknown, actual: unknown, options: ShapeOptions = {}, path = '$'): string[] {
  const recordedType = jsonType(recorded);
  const actualType = jsonType(actual);
  if (recordedType !== actualType) {
    if (options.looseTypes?.includes(path)) return [];
    return [`${path}: recorded ${recordedType}, sandbox ${actualType}`];
  }
  if (recordedType === 'array') {
    const [first] = recorded as unknown[];
    if (first === undefined) return [];
    return (actual as unknown[]).flatMap((item) => compareShape(first, item, options, `${path}[]`));
  }
  if (recordedType !== 'object') return [];
  const r = recorded as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(r)) {
    if (key === '_source' || key === '_note') continue;
    const child = `${path}.${key}`;
    if (!(key in a)) {
      if (!options.optionalKeys?.includes(child)) problems.push(`${child}: missing in the sandbox's answer`);
      continue;
    }
    problems.push(...compareShape(r[key], a[key], options, child));
  }
  for (const key of Object.keys(a)) {
    const child = `${path}.${key}`;
    if (!(key in r) && !options.extraKeys?.includes(child)) problems.push(`${child}: the sandbox sends a key the real service does not`);
  }
  return problems;
}
