/**
 * Search terms for finding match candidates on a side whose search cannot normalise: vendor and
 * HubSpot searches compare raw text, so "Müller" must also be asked as "Mueller", "Gößling" as
 * "Goessling", and the other way round. The search only broadens; the candidates found are re-matched
 * with the normalised keys (matching.ts), which decide.
 */
import type { Content, ObjectType } from './content';
import { companyKey, normalizeText, personKey } from './matching';

const spelledOut: Array<[string, string]> = [
  ['ae', 'ä'],
  ['oe', 'ö'],
  ['ue', 'ü'],
  ['ss', 'ß'],
];
/** A word with many umlaut-like pairs would give 2^n spellings; names rarely have more than four. */
const maxSpellings = 16;

/**
 * Every raw spelling whose normalised form (matching.ts `normalizeText`) is `token`: each "ae", "oe",
 * "ue", "ss" may have been written as ä, ö, ü, ß. `token` is already normalised (lower case, ASCII).
 */
export function spellingsOf(token: string): string[] {
  let out = [''];
  for (let i = 0; i < token.length;) {
    const pair = spelledOut.find(([s]) => token.startsWith(s, i));
    if (pair && out.length * 2 <= maxSpellings) {
      out = out.flatMap((prefix) => [prefix + pair[0], prefix + pair[1]]);
      i += 2;
    } else {
      out = out.map((prefix) => prefix + token[i]);
      i += 1;
    }
  }
  return out;
}

/** The words of a raw name as they are written (lower case): finds accented spellings normalising drops. */
function rawWords(value: string | undefined): string[] {
  return (value ?? '')
    .toLowerCase()
    .split(/[\s,;/()&.+-]+/)
    .filter(Boolean);
}

/** The raw word whose normalised form is `token`, if the name has one. */
function rawWordFor(token: string, ...values: Array<string | undefined>): string | undefined {
  return values.flatMap(rawWords).find((w) => normalizeText(w) === token);
}

function termsFor(token: string, raw: string | undefined, minLength: number): string[] {
  return [...new Set([...(raw ? [raw] : []), ...spellingsOf(token)])].filter((t) => t.length >= minLength);
}

/**
 * HubSpot side: the last name of a person ("Müller, Jürgen" → "Müller"), or the first word of the
 * company name, in every spelling (HubSpot's search is run on `lastname` / `name`).
 */
export function searchTerms(objectType: ObjectType, c: Content): string[] {
  if (objectType === 'company') {
    const token = companyKey(c.companyName).split(' ')[0] ?? '';
    return termsFor(token, rawWordFor(token, c.companyName), 3);
  }
  const last = lastNameOf(c);
  const token = normalizeText(last).split(' ').pop() ?? '';
  return token.length >= 2 ? termsFor(token, rawWordFor(token, last), 2) : [];
}

/**
 * Accounting side: every record the matching rule would match has all words of the record's name
 * key in one of its name fields, in some spelling, whichever field and order it keeps them in
 * ("Jürgen" + "Müller", "Müller, Jürgen" in the last-name field, "Juergen Mueller" ...). So one word,
 * asked in each of its spellings and searched in every name field (the provider's `findCustomers`
 * contract), finds them all. The word: the longest of the last name (fewest false hits), else of the name.
 */
export function vendorSearchTerms(objectType: ObjectType, c: Content): string[] {
  if (objectType === 'company') return searchTerms(objectType, c);
  const longest = (words: string[]) => words.reduce((best, w) => (w.length > best.length ? w : best), '');
  const token = longest(normalizeText(lastNameOf(c)).split(' ')) || longest(personKey(c.firstName, c.lastName).split(' '));
  return token ? termsFor(token, rawWordFor(token, c.firstName, c.lastName), 1) : [];
}

/** The last name, also where it is written "Müller, Jürgen" in one field. */
function lastNameOf(c: Content): string {
  if (!c.firstName && c.lastName?.includes(',')) return c.lastName.split(',')[0];
  if (!c.lastName && c.firstName?.includes(',')) return c.firstName.split(',')[0];
  return c.lastName ?? '';
}
