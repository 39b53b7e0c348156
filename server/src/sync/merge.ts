/**
 * Per-field three-way merge of one linked pair. Each side's base is the per-field hash of what that
 * side held right after our last sync, so a field the vendor cannot store (absent on its side since
 * the start) never looks like a change. Rules (issue 6): a field changed on one side only goes to the
 * other; changed on both, the configured owner wins, else the newer change; with no base yet (a fresh
 * link) an empty value never overwrites a filled one. An owner "always wins": a change on the other
 * side is written back over. Record-level modification times stand in for per-field times.
 */
import { fieldHash, type Content, type FieldHashes, type SyncField } from './content';

export type Side = 'hubspot' | 'accounting';

export interface MergeSide {
  content: Content;
  /** Per-field hashes after our last sync; undefined for a pair never synced. */
  base?: FieldHashes;
  /** Last modification of the record, epoch ms, where known. */
  changedAt?: number;
}

export interface MergeInput {
  fields: readonly SyncField[];
  hubspot: MergeSide;
  accounting: MergeSide;
  owners: Partial<Record<string, Side>>;
  /** The side whose change started this run; wins ties where no time is known. */
  trigger: Side;
}

export interface MergeResult {
  /** Fields to write to HubSpot, with the value to write (undefined = clear). */
  toHubspot: Partial<Record<SyncField, string | undefined>>;
  /** Fields to write to the accounting side. */
  toAccounting: Partial<Record<SyncField, string | undefined>>;
}

export function mergeFields(input: MergeInput): MergeResult {
  const result: MergeResult = { toHubspot: {}, toAccounting: {} };
  for (const field of input.fields) {
    const winner = decide(field, input);
    if (winner === 'hubspot') result.toAccounting[field] = input.hubspot.content[field];
    if (winner === 'accounting') result.toHubspot[field] = input.accounting.content[field];
  }
  return result;
}

function decide(field: SyncField, input: MergeInput): Side | 'keep' {
  const h = input.hubspot.content[field];
  const a = input.accounting.content[field];
  if (h === a) return 'keep';
  const owner = input.owners[field];
  const fresh = !input.hubspot.base || !input.accounting.base;
  if (fresh) {
    if (h === undefined) return 'accounting';
    if (a === undefined) return 'hubspot';
    return owner ?? newer(input);
  }
  const hChanged = fieldHash(field, h) !== input.hubspot.base![field];
  const aChanged = fieldHash(field, a) !== input.accounting.base![field];
  if (!hChanged && !aChanged) return 'keep';
  if (owner) return owner;
  if (hChanged && !aChanged) return 'hubspot';
  if (aChanged && !hChanged) return 'accounting';
  return newer(input);
}

function newer(input: MergeInput): Side {
  const h = input.hubspot.changedAt;
  const a = input.accounting.changedAt;
  if (h !== undefined && a !== undefined && h !== a) return h > a ? 'hubspot' : 'accounting';
  return input.trigger;
}

export function isEmptyResult(r: MergeResult): boolean {
  return Object.keys(r.toHubspot).length === 0 && Object.keys(r.toAccounting).length === 0;
}
