/**
 * The HubSpot sandbox answers a v3 read with `?associations=` as HubSpot does (hubspot.md §6.1): the line
 * item group under `"line items"` (with a space), result types such as `deal_to_line_item`, the primary
 * company twice (`deal_to_company`, `deal_to_company_unlabeled`), and groups paged at 100.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createHubspotSandbox } from '../../src/sandboxes/hubspot/app';

function setup() {
  const sandbox = createHubspotSandbox({ now: () => Date.UTC(2026, 10, 2, 9, 0, 0) });
  const portal = sandbox.options.demoPortalId;
  const token = sandbox.installDemoPortal().accessToken;
  const get = (path: string) => request(sandbox.app).get(path).set('authorization', `Bearer ${token}`);
  const create = (type: string, properties: Record<string, string>) => sandbox.simulateChange(portal, type, undefined, properties).id;
  const associate = (from: string, fromId: string, to: string, toId: string) => sandbox.simulateAssociation(portal, from, fromId, to, toId);
  return { get, create, associate };
}

describe('v3 object reads with associations', () => {
  it('keys the line item group "line items" and never line_items, in the raw answer', async () => {
    const { get, create, associate } = setup();
    const deal = create('deals', { dealname: 'Website-Relaunch und Wartung Müller GmbH 2027' });
    const company = create('companies', { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH' });
    const contact = create('contacts', { firstname: 'Jürgen', lastname: 'Müller', email: 'juergen.mueller@hoelzl.example' });
    const items = ['Konzeption', 'Umsetzung', 'Wartung'].map((name) => create('line_items', { name, quantity: '1', price: '100.00' }));
    for (const id of items) associate('deals', deal, 'line_items', id);
    associate('deals', deal, 'companies', company);
    associate('deals', deal, 'contacts', contact);

    const answer = await get(`/crm/v3/objects/deals/${deal}?associations=line_items,companies,contacts,quotes`);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('"line items":{"results":[');
    expect(answer.text).not.toContain('line_items');
    expect(answer.body.associations).toEqual({
      'line items': { results: items.map((id) => ({ id, type: 'deal_to_line_item' })) },
      companies: {
        results: [
          { id: company, type: 'deal_to_company' },
          { id: company, type: 'deal_to_company_unlabeled' },
        ],
      },
      contacts: { results: [{ id: contact, type: 'deal_to_contact' }] },
    });
    const fromItem = await get(`/crm/v3/objects/line_items/${items[0]}?associations=deals`);
    expect(fromItem.body.associations).toEqual({ deals: { results: [{ id: deal, type: 'line_item_to_deal' }] } });
    const fromContact = await get(`/crm/v3/objects/contacts/${contact}?associations=0-3`);
    expect(fromContact.body.associations).toEqual({ deals: { results: [{ id: deal, type: 'contact_to_deal' }] } });
  });

  it('makes only the first company of a deal its primary one', async () => {
    const { get, create, associate } = setup();
    const deal = create('deals', { dealname: 'Jahreswartung 2027' });
    const [first, second] = ['Müller Maschinenbau GmbH & Co. KG', 'Schäfer Logistik AG'].map((name) => create('companies', { name }));
    associate('deals', deal, 'companies', first);
    associate('deals', deal, 'companies', second);
    const answer = await get(`/crm/v3/objects/deals/${deal}?associations=companies`);
    expect(answer.body.associations.companies.results).toEqual([
      { id: first, type: 'deal_to_company' },
      { id: first, type: 'deal_to_company_unlabeled' },
      { id: second, type: 'deal_to_company_unlabeled' },
    ]);
  });

  it('leaves out groups without associations, and the associations key when there are none', async () => {
    const { get, create } = setup();
    const deal = create('deals', { dealname: 'Ohne Positionen' });
    const answer = await get(`/crm/v3/objects/deals/${deal}?associations=line_items,quotes`);
    expect(answer.body).not.toHaveProperty('associations');
  });

  it('pages a group after 100 results with paging.next.after', async () => {
    const { get, create, associate } = setup();
    const deal = create('deals', { dealname: 'Rahmenvertrag Ersatzteile' });
    for (let i = 0; i < 101; i++) associate('deals', deal, 'line_items', create('line_items', { name: `Dichtungsring ${i}`, quantity: '1', price: '1.00' }));
    const group = (await get(`/crm/v3/objects/deals/${deal}?associations=line_items`)).body.associations['line items'];
    expect(group.results).toHaveLength(100);
    expect(group.paging).toEqual({ next: { after: '100' } });
  });
});
