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
import { communicationWaySchema, contactAddressSchema, contactSchema, objectsList, type SevdeskCommunicationWay } from './schemas';

const contactList = objectsList(contactSchema);
const addressList = objectsList(contactAddressSchema);
const wayList = objectsList(communicationWaySchema);

export function createSevdeskCustomers(client: SevdeskClient, ids: SevdeskAccountIds, log: Logger) {
  const byContact = (id: string) => ({ 'contact[id]': id, 'contact[objectName]': 'Contact' });

  async function getCustomer(id: string): Promise<Customer | null> {
    let found;
    try {
      found = await client.request({ method: 'GET', path: `/Contact/${encodeURIComponent(id)}` }, contactList);
    } catch (error) {
      if (isProviderError(error) && error.kind === 'not_found') return null;
      throw error;
    }
    const contact = found.objects[0];
    if (!contact) return null;
    const [addresses, ways] = await Promise.all([
      client.request({ method: 'GET', path: '/ContactAddress', query: byContact(contact.id) }, addressList),
      client.request({ method: 'GET', path: '/CommunicationWay', query: byContact(contact.id) }, wayList),
    ]);
    return fromVendorContact(contact, addresses.objects[0], ways.objects, ids);
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
    const existing = isNew ? undefined : (await client.request({ method: 'GET', path: '/ContactAddress', query: byContact(contactId) }, addressList)).objects[0];
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
      return { customers, nextPage: found.objects.length === sevdeskPageSize ? String(offset + sevdeskPageSize) : undefined };
    },
  };
}
