/**
 * Search terms for finding match candidates on a side whose search cannot normalise: vendor and
 * HubSpot searches compare raw text, so "Müller" must also be asked as "Mueller" and the other way
 * round. The candidates found are then re-matched with the normalised keys (matching.ts).
 */
import type { Content, ObjectType } from './content';
import { companyKey, normalizeText } from './matching';

const umlauts: Array<[string, string]> = [['ä', 'ae'], ['ö', 'oe'], ['ü', 'ue'], ['ß', 'ss']];

function spellings(word: string): string[] {
  const lower = word.toLowerCase();
  let spelledOut = lower;
  let withUmlauts = lower;
  for (const [u, s] of umlauts) {
    spelledOut = spelledOut.split(u).join(s);
    if (s !== 'ss') withUmlauts = withUmlauts.split(s).join(u);
  }
  return [...new Set([lower, spelledOut, withUmlauts])];
}

/** The last name of a person ("Müller, Jürgen" → "Müller"), or the company name without legal form. */
export function searchTerms(objectType: ObjectType, c: Content): string[] {
  if (objectType === 'company') {
    const key = companyKey(c.companyName);
    const first = (c.companyName ?? '').trim().split(/\s+/)[0] ?? '';
    return [...new Set([...spellings(first), ...spellings(key.split(' ')[0] ?? '')])].filter((t) => t.length >= 3);
  }
  let last = c.lastName ?? '';
  if (!c.firstName && last.includes(',')) last = last.split(',')[0];
  if (!last && c.firstName?.includes(',')) last = c.firstName.split(',')[0];
  const word = last.trim().split(/\s+/).pop() ?? '';
  return spellings(word).filter((t) => normalizeText(t).length >= 2);
}
