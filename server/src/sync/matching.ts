/**
 * Matching a record on the other side when no link exists yet: persons by first + last name,
 * companies by name, both normalised; e-mail decides between several candidates. Never guesses:
 * several candidates that e-mail cannot separate are `ambiguous`.
 */
import type { Customer, CustomerInput } from '../accounting/provider';

const legalForms = [
  'gmbh & co kg',
  'gmbh & co. kg',
  'gmbh',
  'ggmbh',
  'mbh',
  'ag',
  'ug (haftungsbeschränkt)',
  'ug',
  'kg',
  'ohg',
  'gbr',
  'e k',
  'ek',
  'e v',
  'ev',
  'sarl',
  'sàrl',
  'sa',
  'sas',
  'sasu',
  'eurl',
  'ltd',
  'limited',
  'llc',
  'inc',
  'corp',
  'co',
  'plc',
  'bv',
  'nv',
  'srl',
  'spa',
  'se',
  'kgaa',
];

function withoutParentheses(value: string): string {
  return value.replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim();
}

const legalFormSuffixes = legalForms.map((form) => ` ${withoutParentheses(normalizeText(form))}`);

/** Lower case, umlauts and ß spelled out, accents dropped, punctuation and extra spaces removed. */
export function normalizeText(value: string | undefined): string {
  return (value ?? '')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9&()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A company name without its legal-form suffix: "ACME GmbH" and "Acme" are the same key. */
export function companyKey(name: string | undefined): string {
  let key = withoutParentheses(normalizeText(name));
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of legalFormSuffixes) {
      if (key.endsWith(suffix) && key.length > suffix.length) {
        key = key.slice(0, -suffix.length).trim();
        changed = true;
      }
    }
  }
  return key.replace(/&/g, 'und');
}

/**
 * A person's key from first and last name; "Müller, Jürgen" (last, first in one field) and
 * "jürgen mueller" give the same key.
 */
export function personKey(firstName: string | undefined, lastName: string | undefined): string {
  let first = firstName ?? '';
  let last = lastName ?? '';
  if (!first && last.includes(',')) [last, first] = last.split(',', 2).map((s) => s.trim());
  if (!last && first.includes(',')) [last, first] = first.split(',', 2).map((s) => s.trim());
  return [normalizeText(first), normalizeText(last)].filter(Boolean).join(' ');
}

export function customerKey(c: Pick<CustomerInput, 'kind' | 'companyName' | 'firstName' | 'lastName'>): string {
  return c.kind === 'company' ? companyKey(c.companyName) : personKey(c.firstName, c.lastName);
}

export type MatchResult<T> = { kind: 'none' } | { kind: 'one'; match: T } | { kind: 'ambiguous'; candidates: T[] };

/** Matches `wanted` among `candidates` by name key; e-mail decides between several. */
export function matchCustomer<T extends Pick<Customer, 'kind' | 'companyName' | 'firstName' | 'lastName' | 'email'>>(
  wanted: CustomerInput,
  candidates: T[],
): MatchResult<T> {
  const key = customerKey(wanted);
  if (!key) return { kind: 'none' };
  const sameName = candidates.filter((c) => c.kind === wanted.kind && customerKey(c) === key);
  if (sameName.length === 0) return { kind: 'none' };
  if (sameName.length === 1) return { kind: 'one', match: sameName[0] };
  const email = wanted.email?.trim().toLowerCase();
  if (email) {
    const byEmail = sameName.filter((c) => c.email?.trim().toLowerCase() === email);
    if (byEmail.length === 1) return { kind: 'one', match: byEmail[0] };
  }
  return { kind: 'ambiguous', candidates: sameName };
}
