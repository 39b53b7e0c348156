/** The demo's contact-sync steps: HubSpot → vendor, then an edit in the vendor back to HubSpot. */
import type { DemoSession, DemoStep } from './session';

export function syncSteps(demo: DemoSession): DemoStep[] {
  let contactId = '';
  return [
    {
      title: 'Create a company and a contact in HubSpot',
      run: async () => {
        await demo.hubspot('POST', '/crm/v3/objects/companies', { properties: { name: 'Müller Maschinenbau GmbH', city: 'Stuttgart' }, associations: [] });
        const contact = await demo.hubspot('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'Jürgen', lastname: 'Müller', email: 'juergen.mueller@example.com' }, associations: [] });
        contactId = contact.id;
        const [company, person] = await Promise.all([
          demo.waitFor('the company in the vendor', async () => (await demo.vendor.findCustomers({ kind: 'company', name: 'Müller Maschinenbau' })).find((c) => c.companyName?.startsWith('Müller Maschinenbau'))),
          demo.waitFor('the contact in the vendor', async () => (await demo.vendor.findCustomers({ kind: 'person', firstName: 'Jürgen', lastName: 'Müller' }))[0]),
        ]);
        return `in ${demo.provider}: company ${company.id}, person ${person.id}`;
      },
    },
    {
      title: `Edit the contact in ${demo.provider}, see it in HubSpot`,
      run: async () => {
        const [person] = await demo.vendor.findCustomers({ kind: 'person', firstName: 'Jürgen', lastName: 'Müller' });
        await demo.vendor.updateCustomer(person.id, { ...person, phone: '+49 711 123456' }, person.version);
        await demo.signed('POST', `/api/v1/contacts/${contactId}/sync`);
        const phone = await demo.waitFor('the phone number in HubSpot', async () => {
          const contact = await demo.hubspot('GET', `/crm/v3/objects/contacts/${contactId}?properties=phone`);
          return contact.properties.phone === '+49 711 123456' ? contact.properties.phone : undefined;
        });
        return `HubSpot contact ${contactId} now has phone ${phone}`;
      },
    },
  ];
}
