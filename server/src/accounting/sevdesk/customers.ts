/**
 * Customer operations against sevDesk contacts (accounting.md §2.3). E-mail and phone live in
 * `CommunicationWay`, the address in `ContactAddress`; both are separate resources, so a full read
 * or write is several calls. sevDesk has no optimistic locking: the last write wins.
 */
import type { Logger } from 'pino';
import { isProviderError } from '../errors';
import type { Customer, CustomerInput, CustomerPage, CustomerQuery } from '../provider';
import { sevdeskPageSize, type SevdeskClient } from './client';
import { fromVendorContact, mainWay, toVendorAddress, toVendorCommunicationWay, toVendorContact, type SevdeskAccountIds } from './mapping';
import { communicationWaySchema, contactAddressSchema, contactSchema, objectsList, type SevdeskCommunicationWay, type SevdeskContact } from './schemas';

const contactList = objectsList(contactSchema);
const addressList = objectsList(contactAddressSchema);
const wayList = objectsList(communicationWaySchema);
/** E-mails, phones and addresses are read whole each poll: the largest `limit` sevDesk allows since 30.05.2025 (https://tech.sevdesk.com/api_news/posts/2025_03_11-api_pagination_limits/). */
const detailPageSize = 1000;

export function createSevdeskCustomers(client: SevdeskClient, ids: SevdeskAccountIds, log: Logger) {
  const byContact = (id: string) => ({ 'contact[id]': id, 'contact[objectName]': 'Contact' });

  async function readContact(id: string): Promise<SevdeskContact | undefined> {
    try {
      return (await client.request({ method: 'GET', path: `/Contact/${encodeURIComponent(id)}` }, contactList)).objects[0];
    } catch (error) {
      if (isProviderError(error) && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async function getCustomer(id: string): Promise<Customer | null> {
    const contact = await readContact(id);
    if (!contact) return null;
    const [addresses, ways] = await Promise.all([
      client.request({ method: 'GET', path: '/ContactAddress', query: byContact(contact.id) }, addressList),
      client.request({ method: 'GET', path: '/CommunicationWay', query: byContact(contact.id) }, wayList),
    ]);
    const customer = fromVendorContact(contact, addresses.objects[0], ways.objects, ids);
    // The e-mail, phone and address carry their own change times (see `contactsWithChangedDetails`).
    const stamps = [contact.update, addresses.objects[0]?.update, ...ways.objects.map((w) => w.update)]
      .map((u) => (u ? Date.parse(u) : NaN))
      .filter((ms) => !Number.isNaN(ms));
    if (stamps.length > 0) customer.updatedAt = Math.max(...stamps);
    return customer;
  }

  /**
   * Contacts whose e-mail, phone or address changed since `sinceMs`, by the sub-resources' own
   * `update` stamps. Whether sevDesk bumps `Contact.update` when a CommunicationWay or ContactAddress
   * changes is documented nowhere (SVS models give each its own `create`/`update`; SVS lists no
   * `updateAfter` filter on `GET /CommunicationWay` or `GET /ContactAddress`; no recorded answer,
   * community client or forum post says either way), so `Contact?updateAfter` alone may miss such an
   * edit. Both lists are read whole (limit 1000, the documented maximum) and filtered here, in whole
   * seconds as sevDesk stamps them.
   */
  async function contactsWithChangedDetails(sinceMs: number): Promise<string[]> {
    const changed = new Set<string>();
    const sinceSecond = Math.floor(sinceMs / 1000);
    for (const [path, schema] of [
      ['/CommunicationWay', wayList],
      ['/ContactAddress', addressList],
    ] as const) {
      for (let offset = 0; ; offset += detailPageSize) {
        const found = await client.request({ method: 'GET', path, query: { limit: detailPageSize, offset } }, schema as typeof wayList | typeof addressList);
        for (const item of found.objects) {
          const stamp = item.update ? Date.parse(item.update) : NaN;
          if (item.contact && !Number.isNaN(stamp) && Math.floor(stamp / 1000) >= sinceSecond) changed.add(item.contact.id);
        }
        if (found.objects.length < detailPageSize) break;
      }
    }
    return [...changed];
  }

  async function syncWay(contactId: string, existing: SevdeskCommunicationWay[], type: 'EMAIL' | 'PHONE', value: string | undefined) {
    if (!value) return;
    const current = mainWay(existing, type);
    if (current?.value === value) return;
    const body = toVendorCommunicationWay(contactId, type, value, ids);
    if (current) await client.send({ method: 'PUT', path: `/CommunicationWay/${current.id}`, json: body });
    else await client.send({ method: 'POST', path: '/CommunicationWay', json: body });
  }

  async function syncDetails(contactId: string, input: CustomerInput, isNew: boolean) {
    const ways = isNew ? [] : (await client.request({ method: 'GET', path: '/CommunicationWay', query: byContact(contactId) }, wayList)).objects;
    await syncWay(contactId, ways, 'EMAIL', input.email);
    await syncWay(contactId, ways, 'PHONE', input.phone);
    if (!input.address) return;
    const body = toVendorAddress(contactId, input.address, ids);
    if (!body) {
      log.warn({ provider: 'sevdesk', contactId, countryCode: input.address.countryCode }, 'address skipped: no sevDesk country id');
      return;
    }
    const existing = isNew
      ? undefined
      : (await client.request({ method: 'GET', path: '/ContactAddress', query: byContact(contactId) }, addressList)).objects[0];
    if (existing) await client.send({ method: 'PUT', path: `/ContactAddress/${existing.id}`, json: body });
    else await client.send({ method: 'POST', path: '/ContactAddress', json: body });
  }

  async function readBack(id: string): Promise<Customer> {
    const customer = await getCustomer(id);
    if (!customer) throw new Error(`sevDesk contact ${id} vanished right after it was written`);
    return customer;
  }

  return {
    getCustomer,

    /** `name` matches name, surename or familyname (SVS Contact filters); `depth=1` adds persons (§2.3). */
    async findCustomers(query: CustomerQuery): Promise<Customer[]> {
      const name = query.kind === 'company' ? query.name : query.lastName;
      const found = await client.request({ method: 'GET', path: '/Contact', query: { depth: '1', name, limit: sevdeskPageSize } }, contactList);
      return found.objects.map((c) => fromVendorContact(c, undefined, [], ids)).filter((c) => c.kind === query.kind);
    },

    async createCustomer(input: CustomerInput): Promise<Customer> {
      const created = await client.request({ method: 'POST', path: '/Contact', json: toVendorContact(input, ids) }, contactSchema);
      await syncDetails(created.id, input, true);
      return readBack(created.id);
    },

    async updateCustomer(id: string, input: CustomerInput): Promise<Customer> {
      await client.send({ method: 'PUT', path: `/Contact/${encodeURIComponent(id)}`, json: toVendorContact(input, ids) });
      await syncDetails(id, input, false);
      return readBack(id);
    },

    /** `DELETE /Contact/{id}`; 409 when documents still reference it (§2.3, §8.3): the contact stays, the link is dropped. */
    async deleteCustomer(id: string): Promise<'deleted' | 'unsupported'> {
      try {
        await client.send({ method: 'DELETE', path: `/Contact/${encodeURIComponent(id)}` });
        return 'deleted';
      } catch (error) {
        if (isProviderError(error) && error.kind === 'not_found') return 'deleted';
        if (isProviderError(error) && error.kind === 'conflict') {
          log.info({ provider: 'sevdesk', contactId: id }, 'contact kept: sevDesk refused the delete');
          return 'unsupported';
        }
        throw error;
      }
    },

    /**
     * `GET /Contact?depth=1&updateAfter=<unix s>` (§2.3). Pages carry the contact fields only;
     * e-mail and address need `getCustomer` (one page would otherwise cost 200 extra calls).
     */
    async listCustomers(sinceMs: number | null, page?: string): Promise<CustomerPage> {
      const offset = page ? Number(page) : 0;
      const query: Record<string, string | number> = { depth: '1', limit: sevdeskPageSize, offset };
      // sevDesk compares whole seconds, strictly after: step one second back so nothing on the boundary is lost.
      if (sinceMs !== null) query.updateAfter = Math.floor(sinceMs / 1000) - 1;
      const found = await client.request({ method: 'GET', path: '/Contact', query }, contactList);
      const customers = found.objects.map((c) => fromVendorContact(c, undefined, [], ids));
      if (found.objects.length === sevdeskPageSize) return { customers, nextPage: String(offset + sevdeskPageSize) };
      // Last page of a change feed: add the contacts whose e-mail, phone or address changed on their own.
      if (sinceMs !== null) {
        const listed = new Set(customers.map((c) => c.id));
        for (const id of await contactsWithChangedDetails(sinceMs)) {
          if (listed.has(id)) continue;
          const contact = await readContact(id);
          if (contact) customers.push(fromVendorContact(contact, undefined, [], ids));
        }
      }
      return { customers, nextPage: undefined };
    },
  };
}
