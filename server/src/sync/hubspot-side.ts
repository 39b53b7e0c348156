/**
 * The HubSpot side of the sync: reads, searches and batch writes of contacts and companies through
 * the per-portal limited client (hubspot/client.ts). Writes always use the batch endpoints
 * (issue 6), up to 100 inputs per call (hubspot.md §6).
 */
import { associationGroup } from '../hubspot/associations';
import type { HubspotClients } from '../hubspot/client';
import { HubspotError } from '../hubspot/client';
import { contentHash, type Content, type ObjectType } from './content';
import { contentFromHubspot, hubspotTypeOf, modifiedAtOf, propertiesToRead } from './hubspot-mapping';
import { searchTerms } from './names';

export interface HubspotRecord {
  id: string;
  content: Content;
  changedAt?: number;
  /** A contact's associated company ids, distinct, the primary one (`contact_to_company`) first. */
  companyIds: string[];
}

const batchSize = 100;

type RawObject = { id: string; properties: Record<string, string | null>; associations?: unknown };

function toRecord(objectType: ObjectType, o: RawObject): HubspotRecord {
  return {
    id: o.id,
    content: contentFromHubspot(objectType, o.properties),
    changedAt: modifiedAtOf(objectType, o.properties),
    companyIds: companyIdsOf(o.associations),
  };
}

/** The primary company is listed twice, as `contact_to_company` and `contact_to_company_unlabeled` (hubspot.md §6.1). */
function companyIdsOf(associations: unknown): string[] {
  const results = associationGroup(associations, 'companies')?.results ?? [];
  const primaryFirst = [...results].sort(
    (a, b) => Number(b.type?.toLowerCase() === 'contact_to_company') - Number(a.type?.toLowerCase() === 'contact_to_company'),
  );
  return [...new Set(primaryFirst.map((r) => r.id))];
}

export class HubspotSide {
  constructor(private readonly clients: HubspotClients) {}

  /** null when the record does not exist or is archived (deleted). */
  async read(portalId: string, objectType: ObjectType, id: string): Promise<HubspotRecord | null> {
    const associations = objectType === 'contact' ? ['companies'] : undefined;
    try {
      const o = await this.clients.call(
        portalId,
        (c) => c.crm.objects.basicApi.getById(hubspotTypeOf[objectType], id, propertiesToRead(objectType), undefined, associations),
        { idempotent: true },
      );
      return toRecord(objectType, o as RawObject);
    } catch (error) {
      if (error instanceof HubspotError && error.status === 404) return null;
      throw error;
    }
  }

  /** Every live record of the type, paged (100 per page). */
  async listAll(portalId: string, objectType: ObjectType): Promise<HubspotRecord[]> {
    const out: HubspotRecord[] = [];
    for await (const page of this.pages(portalId, objectType)) out.push(...page);
    return out;
  }

  /** Every live record of the type, one page (100) at a time: a full scan that holds one page. */
  async *pages(portalId: string, objectType: ObjectType): AsyncGenerator<HubspotRecord[]> {
    const associations = objectType === 'contact' ? ['companies'] : undefined;
    for (let after: string | undefined; ;) {
      const page = await this.clients.call(
        portalId,
        (c) => c.crm.objects.basicApi.getPage(hubspotTypeOf[objectType], 100, after, propertiesToRead(objectType), undefined, associations),
        { idempotent: true },
      );
      yield page.results.map((o) => toRecord(objectType, o as RawObject));
      after = page.paging?.next?.after;
      if (!after) return;
    }
  }

  /** Candidates for matching: records whose name contains one of the search terms, or with the e-mail. */
  async search(portalId: string, objectType: ObjectType, content: Content): Promise<HubspotRecord[]> {
    const nameProperty = objectType === 'company' ? 'name' : 'lastname';
    const groups = searchTerms(objectType, content)
      .slice(0, 4)
      .map((term) => ({ filters: [{ propertyName: nameProperty, operator: 'CONTAINS_TOKEN' as never, value: `*${term}*` }] }));
    if (objectType === 'contact' && content.email) groups.push({ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: content.email }] });
    if (groups.length === 0) return [];
    // HubSpot's spec marks `after` required in PublicObjectSearchRequest; '0' is the first page.
    const page = await this.clients.call(
      portalId,
      (c) =>
        c.crm.objects.searchApi.doSearch(hubspotTypeOf[objectType], {
          filterGroups: groups,
          properties: propertiesToRead(objectType),
          limit: 100,
          after: '0',
          sorts: [],
        }),
      { search: true, idempotent: true },
    );
    return page.results.map((o) => toRecord(objectType, o as RawObject));
  }

  /** Batch update; returns the records as HubSpot stored them. */
  async update(portalId: string, objectType: ObjectType, inputs: Array<{ id: string; properties: Record<string, string> }>): Promise<HubspotRecord[]> {
    const out: HubspotRecord[] = [];
    for (let i = 0; i < inputs.length; i += batchSize) {
      const batch = inputs.slice(i, i + batchSize);
      const response = await this.clients.call(portalId, (c) => c.crm.objects.batchApi.update(hubspotTypeOf[objectType], { inputs: batch }), {
        idempotent: true,
      });
      out.push(...response.results.map((o) => toRecord(objectType, o as RawObject)));
    }
    return out;
  }

  /** Batch create, in input order. Not safe to repeat blindly: callers re-match after a failure. */
  async create(portalId: string, objectType: ObjectType, inputs: Array<Record<string, string>>): Promise<HubspotRecord[]> {
    const out: HubspotRecord[] = [];
    for (let i = 0; i < inputs.length; i += batchSize) {
      const batch = inputs.slice(i, i + batchSize).map((properties) => ({ properties, associations: [] }));
      const response = await this.clients.call(portalId, (c) => c.crm.objects.batchApi.create(hubspotTypeOf[objectType], { inputs: batch }), {
        idempotent: false,
      });
      // HubSpot does not promise result order: pair each input with a result of equal content.
      const records = response.results.map((o) => toRecord(objectType, o as RawObject));
      for (const input of batch) {
        const wanted = contentHash(contentFromHubspot(objectType, input.properties));
        const index = records.findIndex((r) => contentHash(r.content) === wanted);
        if (index < 0) throw new HubspotError(0, 'HubSpot batch create answered without one of the records', undefined);
        out.push(records.splice(index, 1)[0]);
      }
    }
    return out;
  }

  /** Associates a contact with a company under HubSpot's default label (v4 associations API). Safe to repeat. */
  async associateContactWithCompany(portalId: string, contactId: string, companyId: string): Promise<void> {
    await this.clients.call(portalId, (c) => c.crm.associations.v4.basicApi.createDefault('contacts', contactId, 'companies', companyId), { idempotent: true });
  }

  async archive(portalId: string, objectType: ObjectType, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += batchSize) {
      const inputs = ids.slice(i, i + batchSize).map((id) => ({ id }));
      await this.clients.call(portalId, (c) => c.crm.objects.batchApi.archive(hubspotTypeOf[objectType], { inputs }), { idempotent: true });
    }
  }
}
