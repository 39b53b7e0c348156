/**
 * A person's company in bexio: a contact relation (`/2.0/contact_relation`) with the company as `contact_id` and
 * the person as `contact_sub_id`, the way bexio's documents name a contact person of a company contact
 * (`kb_invoice.contact_id` + `contact_sub_id`, accounting.md §3.4). Relations are many-to-many and carry no type;
 * the newest one counts as the person's company (UNCONFIRMED which one bexio's web app shows first). A new company
 * is added as a new relation and older relations stay: the user may keep them on purpose, and nothing is lost.
 * Source: docs.bexio.com "Contact Relations" (saved text: gigerIT/bexio-api-client `docs/Bexio API Description.md`).
 */
import { bexioMaxPageSize, type BexioClient, type SearchCriterion } from './client';
import type { BexioContactRelation } from './schemas';

/** A search value is at most 255 characters (v2SearchCriteria `value`), so `in` lists are cut to fit. */
const maxSearchValueLength = 255;

/** person id → company id, from relations sorted oldest first (the last one written wins). */
function toParents(relations: BexioContactRelation[]): Map<string, string> {
  const parents = new Map<string, string>();
  for (const r of [...relations].sort((a, b) => a.id - b.id)) {
    if (r.contact_id !== null && r.contact_sub_id !== null && r.contact_id !== r.contact_sub_id) parents.set(String(r.contact_sub_id), String(r.contact_id));
  }
  return parents;
}

async function searchAll(client: BexioClient, criteria: SearchCriterion[]): Promise<BexioContactRelation[]> {
  const out: BexioContactRelation[] = [];
  for (let offset = 0; ; offset += bexioMaxPageSize) {
    const page = await client.searchContactRelations(criteria, { limit: bexioMaxPageSize, offset });
    out.push(...page);
    if (page.length < bexioMaxPageSize) return out;
  }
}

/** Ids joined with commas, in groups whose text stays within the search value limit. */
function idGroups(ids: string[]): string[] {
  const groups: string[] = [];
  let current = '';
  for (const id of ids) {
    const next = current ? `${current},${id}` : id;
    if (next.length > maxSearchValueLength && current) {
      groups.push(current);
      current = id;
    } else current = next;
  }
  if (current) groups.push(current);
  return groups;
}

/** The company of each of these persons that has one. */
export async function parentsOf(client: BexioClient, personIds: string[]): Promise<Map<string, string>> {
  const relations: BexioContactRelation[] = [];
  for (const value of idGroups([...new Set(personIds)])) relations.push(...(await searchAll(client, [{ field: 'contact_sub_id', value, criteria: 'in' }])));
  return toParents(relations);
}

/** Every person's company, from the whole relation list (for a full customer page). */
export async function allParents(client: BexioClient): Promise<Map<string, string>> {
  const relations: BexioContactRelation[] = [];
  for (let offset = 0; ; offset += bexioMaxPageSize) {
    const page = await client.listContactRelations({ limit: bexioMaxPageSize, offset, orderBy: 'id' });
    relations.push(...page);
    if (page.length < bexioMaxPageSize) return toParents(relations);
  }
}

/**
 * Persons whose relations changed at or after `since` (a bexio timestamp): a relation written in bexio is a change
 * of the person for the sync, even where the person's own `updated_at` stays (UNCONFIRMED whether bexio touches it).
 */
export async function personsWithRelationsChangedSince(client: BexioClient, since: string): Promise<string[]> {
  const relations = await searchAll(client, [{ field: 'updated_at', value: since, criteria: '>=' }]);
  return [...new Set(relations.flatMap((r) => (r.contact_sub_id === null ? [] : [String(r.contact_sub_id)])))];
}

/**
 * Makes `companyId` the person's company: nothing when it already is, else a new relation. An older relation to the
 * same company is replaced by the new one (its description kept), so the pair stays once and is now the newest.
 */
export async function linkPersonToCompany(client: BexioClient, personId: string, companyId: string): Promise<void> {
  const relations = await searchAll(client, [{ field: 'contact_sub_id', value: personId, criteria: '=' }]);
  if (toParents(relations).get(personId) === companyId) return;
  const older = relations.filter((r) => String(r.contact_id) === companyId);
  await client.createContactRelation(companyId, personId, older.find((r) => r.description)?.description ?? undefined);
  for (const r of older) await client.deleteContactRelation(String(r.id));
}
