/**
 * bexio contact search for match candidates (`POST /2.0/contact/search`, accounting.md §3.2): the
 * criteria of one search must all hold, so a person's name is searched in `name_1` (last name, or the
 * whole name: many bexio accounts keep "Müller, Jürgen" there with `name_2` empty) and, in a second
 * search, in `name_2` (first name). The first name never narrows: the matching rule decides.
 */
import type { CustomerQuery } from '../provider';
import { bexioMaxPageSize, type BexioClient, type SearchCriterion } from './client';
import { contactType } from './mapping';
import type { BexioContact } from './schemas';

export async function searchContactsByName(client: BexioClient, query: CustomerQuery): Promise<BexioContact[]> {
  if (query.kind === 'company') {
    return searchAll(client, [
      { field: 'name_1', value: query.name, criteria: 'like' },
      { field: 'contact_type_id', value: String(contactType.company), criteria: '=' },
    ]);
  }
  const name = query.lastName.trim() || query.firstName.trim();
  if (!name) return [];
  const person: SearchCriterion = { field: 'contact_type_id', value: String(contactType.person), criteria: '=' };
  const found = new Map<number | string, BexioContact>();
  for (const field of ['name_1', 'name_2'])
    for (const contact of await searchAll(client, [{ field, value: name, criteria: 'like' }, person])) found.set(contact.id, contact);
  return [...found.values()];
}

/** Every page of a search (`limit` up to 2000, `offset`; §3.2): a candidate on page two still counts. */
async function searchAll(client: BexioClient, criteria: SearchCriterion[]): Promise<BexioContact[]> {
  const out: BexioContact[] = [];
  for (let offset = 0; ; offset += bexioMaxPageSize) {
    const page = await client.searchContacts(criteria, { limit: bexioMaxPageSize, offset });
    out.push(...page);
    if (page.length < bexioMaxPageSize) return out;
  }
}
