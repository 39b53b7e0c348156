/** The demo's contact-sync steps: HubSpot → vendor, then an edit in the vendor back to HubSpot. */
import type { DemoSession, DemoStep } from './session';

export function syncSteps(demo: DemoSession): DemoStep[] {
  let contactId = '';
  const newEmail = 'j.mueller@maschinenbau.example';
  return [
    {
      title: 'Create a company and a contact in HubSpot',
      run: async () => {
        const company = await demo.hubspot('POST', '/crm/v3/objects/companies', {
          properties: { name: 'Müller Maschinenbau GmbH', city: 'Stuttgart' },
          associations: [],
        });
        const contact = await demo.hubspot('POST', '/crm/v3/objects/contacts', {
          properties: { firstname: 'Jürgen', lastname: 'Müller', email: 'juergen.mueller@example.com' },
          associations: [],
        });
        contactId = contact.id;
        // Watch the contact and company cards (our API) until both are linked, then read the records in the vendor.
        const linked = (kind: string, id: string) =>
          demo.waitFor(`the ${kind} in the vendor`, async () => (await demo.signed('GET', `/api/v1/${kind}/${id}/sync`)).link?.vendorId as string | undefined);
        const [companyId, personId] = await Promise.all([linked('companies', company.id), linked('contacts', contact.id)]);
        const vendor = await demo.vendor();
        const [vendorCompany, vendorPerson] = await Promise.all([vendor.getCustomer(companyId), vendor.getCustomer(personId)]);
        return `in ${demo.provider}: "${vendorCompany?.companyName}" (${companyId}), "${vendorPerson?.firstName} ${vendorPerson?.lastName}" (${personId})`;
      },
    },
    {
      title: `Edit the contact in ${demo.provider}, see it in HubSpot`,
      run: async () => {
        const { link } = await demo.signed('GET', `/api/v1/contacts/${contactId}/sync`);
        const vendor = await demo.vendor();
        const person = (await vendor.getCustomer(link.vendorId))!;
        await vendor.updateCustomer(person.id, { ...person, email: newEmail }, person.version);
        await demo.signed('POST', `/api/v1/contacts/${contactId}/sync`);
        const email = await demo.waitFor('the new e-mail in HubSpot', async () => {
          const contact = await demo.hubspot('GET', `/crm/v3/objects/contacts/${contactId}?properties=email`);
          return contact.properties.email === newEmail ? contact.properties.email : undefined;
        });
        return `HubSpot contact ${contactId} now has e-mail ${email}`;
      },
    },
  ];
}
