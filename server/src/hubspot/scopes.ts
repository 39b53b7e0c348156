/**
 * Every HubSpot API call the product makes, and the one scope each relies on. The app asks for exactly
 * the union of these (plus `oauth`): marketplace review rejects scopes no call uses, and a call whose
 * scope is missing answers 403 MISSING_SCOPES (hubspot.md §4). `server/test/contract/hubspot-scopes.test.ts`
 * checks each row against the operation's `security` in server/specs/hubspot and against the code.
 *
 * A spec `security` list is "any of": where a scope the app needs anyway is accepted (property and
 * pipeline reads accept the object's read scope), that one is used rather than a further scope.
 */

export interface HubspotOperation {
  /** As we call it, object type spelled as in our code. */
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /** The spec file and operation that documents it (deals are `0-3` there). */
  spec: { file: string; path: string };
  /** The scope this call relies on; `null` for OAuth endpoints, which take the client secret or the token itself. */
  scope: string | null;
  /** Where the call is made, and a piece of the call expression that must appear in that file. */
  usedBy: { file: string; marker: string };
}

const objectsSpec = { contacts: 'contacts.json', companies: 'companies.json' } as const;

/** The sync reads and writes contacts and companies through the generic objects API (sync/hubspot-side.ts). */
function syncObjectCalls(type: 'contacts' | 'companies'): HubspotOperation[] {
  const file = 'server/src/sync/hubspot-side.ts';
  const spec = (path: string) => ({ file: objectsSpec[type], path: `/crm/v3/objects/${type}${path}` });
  const read = `crm.objects.${type}.read`;
  const write = `crm.objects.${type}.write`;
  return [
    {
      method: 'GET',
      path: `/crm/v3/objects/${type}/{id}`,
      spec: spec(`/{${type === 'contacts' ? 'contactId' : 'companyId'}}`),
      scope: read,
      usedBy: { file, marker: 'crm.objects.basicApi.getById' },
    },
    { method: 'GET', path: `/crm/v3/objects/${type}`, spec: spec(''), scope: read, usedBy: { file, marker: 'crm.objects.basicApi.getPage' } },
    { method: 'POST', path: `/crm/v3/objects/${type}/search`, spec: spec('/search'), scope: read, usedBy: { file, marker: 'crm.objects.searchApi.doSearch' } },
    {
      method: 'POST',
      path: `/crm/v3/objects/${type}/batch/update`,
      spec: spec('/batch/update'),
      scope: write,
      usedBy: { file, marker: 'crm.objects.batchApi.update' },
    },
    {
      method: 'POST',
      path: `/crm/v3/objects/${type}/batch/create`,
      spec: spec('/batch/create'),
      scope: write,
      usedBy: { file, marker: 'crm.objects.batchApi.create' },
    },
    {
      method: 'POST',
      path: `/crm/v3/objects/${type}/batch/archive`,
      spec: spec('/batch/archive'),
      scope: write,
      usedBy: { file, marker: 'crm.objects.batchApi.archive' },
    },
  ];
}

/** Our property group and properties on contacts and companies (sync/hubspot-properties.ts). */
function syncPropertyCalls(type: 'contacts' | 'companies'): HubspotOperation[] {
  const file = 'server/src/sync/hubspot-properties.ts';
  return [
    {
      method: 'POST',
      path: `/crm/v3/properties/${type}/groups`,
      spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}/groups' },
      scope: `crm.schemas.${type}.write`,
      usedBy: { file, marker: 'crm.properties.groupsApi.create' },
    },
    {
      method: 'GET',
      path: `/crm/v3/properties/${type}`,
      spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}' },
      scope: `crm.objects.${type}.read`,
      usedBy: { file, marker: 'crm.properties.coreApi.getAll' },
    },
    {
      method: 'POST',
      path: `/crm/v3/properties/${type}/batch/create`,
      spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}/batch/create' },
      scope: `crm.schemas.${type}.write`,
      usedBy: { file, marker: 'crm.properties.batchApi.create' },
    },
  ];
}

export const hubspotOperations: readonly HubspotOperation[] = [
  // Invoicing: read the deal with its associations, line items, company or contact (invoicing/gather.ts).
  {
    method: 'GET',
    path: '/crm/v3/objects/deals/{dealId}',
    spec: { file: 'deals.json', path: '/crm/v3/objects/0-3/{dealId}' },
    scope: 'crm.objects.deals.read',
    usedBy: { file: 'server/src/invoicing/gather.ts', marker: 'crm.deals.basicApi.getById' },
  },
  {
    method: 'POST',
    path: '/crm/v3/objects/line_items/batch/read',
    spec: { file: 'lineItems.json', path: '/crm/v3/objects/line_items/batch/read' },
    scope: 'crm.objects.line_items.read',
    usedBy: { file: 'server/src/invoicing/gather.ts', marker: 'crm.lineItems.batchApi.read' },
  },
  {
    method: 'GET',
    path: '/crm/v3/objects/companies/{companyId}',
    spec: { file: 'companies.json', path: '/crm/v3/objects/companies/{companyId}' },
    scope: 'crm.objects.companies.read',
    usedBy: { file: 'server/src/invoicing/gather.ts', marker: 'crm.companies.basicApi.getById' },
  },
  {
    method: 'GET',
    path: '/crm/v3/objects/contacts/{contactId}',
    spec: { file: 'contacts.json', path: '/crm/v3/objects/contacts/{contactId}' },
    scope: 'crm.objects.contacts.read',
    usedBy: { file: 'server/src/invoicing/gather.ts', marker: 'crm.contacts.basicApi.getById' },
  },
  // Invoicing: the outcome written back on the deal (invoicing/write-back.ts).
  {
    method: 'PATCH',
    path: '/crm/v3/objects/deals/{dealId}',
    spec: { file: 'deals.json', path: '/crm/v3/objects/0-3/{dealId}' },
    scope: 'crm.objects.deals.write',
    usedBy: { file: 'server/src/invoicing/write-back.ts', marker: 'crm.deals.basicApi.update' },
  },
  // A deal's line items beyond the 100 a v3 read lists (hubspot/associations.ts), and the deals a quote event concerns (invoicing/quotes.ts).
  {
    method: 'GET',
    path: '/crm/v4/objects/deals/{dealId}/associations/line_items',
    spec: { file: 'associations.json', path: '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}' },
    scope: 'crm.objects.deals.read',
    usedBy: { file: 'server/src/hubspot/associations.ts', marker: 'crm.associations.v4.basicApi.getPage' },
  },
  {
    method: 'GET',
    path: '/crm/v4/objects/quotes/{quoteId}/associations/deals',
    spec: { file: 'associations.json', path: '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}' },
    scope: 'crm.objects.quotes.read',
    usedBy: { file: 'server/src/invoicing/quotes.ts', marker: 'crm.associations.v4.basicApi.getPage' },
  },
  // The sync associates a contact with its company where the vendor keeps the person under it (sync/associations.ts);
  // writing an association needs write access to the object it starts from.
  {
    method: 'PUT',
    path: '/crm/v4/objects/contacts/{contactId}/associations/default/companies/{companyId}',
    spec: { file: 'associations.json', path: '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}' },
    scope: 'crm.objects.contacts.write',
    usedBy: { file: 'server/src/sync/hubspot-side.ts', marker: 'crm.associations.v4.basicApi.createDefault' },
  },
  // Which stages are won (hubspot/pipelines.ts) and the line items' tax rates (hubspot/tax-rates.ts).
  {
    method: 'GET',
    path: '/crm/v3/pipelines/deals',
    spec: { file: 'pipelines.json', path: '/crm/v3/pipelines/{objectType}' },
    scope: 'crm.objects.deals.read',
    usedBy: { file: 'server/src/hubspot/pipelines.ts', marker: 'crm.pipelines.pipelinesApi.getAll' },
  },
  {
    method: 'GET',
    path: '/tax-rates/v1/tax-rates',
    spec: { file: 'taxRates.json', path: '/tax-rates/v1/tax-rates' },
    scope: 'tax_rates.read',
    usedBy: { file: 'server/src/hubspot/tax-rates.ts', marker: "path: '/tax-rates/v1/tax-rates'" },
  },
  // A deal without a currency is in the account's company currency (hubspot/account-currency.ts); the spec accepts `oauth`.
  {
    method: 'GET',
    path: '/account-info/v3/details',
    spec: { file: 'accountInfo.json', path: '/account-info/v3/details' },
    scope: 'oauth',
    usedBy: { file: 'server/src/hubspot/account-currency.ts', marker: "path: '/account-info/v3/details'" },
  },
  // The APIUP deal properties, created on install (hubspot/deal-properties.ts).
  {
    method: 'GET',
    path: '/crm/v3/properties/deals/groups/{groupName}',
    spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}/groups/{groupName}' },
    scope: 'crm.objects.deals.read',
    usedBy: { file: 'server/src/hubspot/deal-properties.ts', marker: 'crm.properties.groupsApi.getByName' },
  },
  {
    method: 'POST',
    path: '/crm/v3/properties/deals/groups',
    spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}/groups' },
    scope: 'crm.schemas.deals.write',
    usedBy: { file: 'server/src/hubspot/deal-properties.ts', marker: 'crm.properties.groupsApi.create' },
  },
  {
    method: 'POST',
    path: '/crm/v3/properties/deals/batch/read',
    spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}/batch/read' },
    scope: 'crm.objects.deals.read',
    usedBy: { file: 'server/src/hubspot/deal-properties.ts', marker: "path: '/crm/v3/properties/deals/batch/read'" },
  },
  {
    method: 'POST',
    path: '/crm/v3/properties/deals/batch/create',
    spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}/batch/create' },
    scope: 'crm.schemas.deals.write',
    usedBy: { file: 'server/src/hubspot/deal-properties.ts', marker: 'crm.properties.batchApi.create' },
  },
  // Adds the options our status property lacks (an older install's property has no `cancelled`).
  {
    method: 'PATCH',
    path: '/crm/v3/properties/deals/{propertyName}',
    spec: { file: 'properties.json', path: '/crm/v3/properties/{objectType}/{propertyName}' },
    scope: 'crm.schemas.deals.write',
    usedBy: { file: 'server/src/hubspot/deal-properties.ts', marker: 'crm.properties.coreApi.update' },
  },
  // The reconciliation sweep: what changed since the last sweep (hubspot/recent-changes.ts).
  ...(['deals', 'contacts', 'companies'] as const).map((type): HubspotOperation => ({
    method: 'POST',
    path: `/crm/v3/objects/${type}/search`,
    spec: type === 'deals' ? { file: 'deals.json', path: '/crm/v3/objects/0-3/search' } : { file: objectsSpec[type], path: `/crm/v3/objects/${type}/search` },
    scope: `crm.objects.${type}.read`,
    usedBy: { file: 'server/src/hubspot/recent-changes.ts', marker: 'crm.objects.searchApi.doSearch' },
  })),
  // Contact and company sync.
  ...syncObjectCalls('contacts'),
  ...syncObjectCalls('companies'),
  ...syncPropertyCalls('contacts'),
  ...syncPropertyCalls('companies'),
  // "Invoice created / sent / paid" as a note on the deal (hubspot/deal-notes.ts); the spec's only scope for note writes.
  {
    method: 'POST',
    path: '/crm/v3/objects/notes',
    spec: { file: 'notes.json', path: '/crm/v3/objects/notes' },
    scope: 'crm.objects.contacts.write',
    usedBy: { file: 'server/src/hubspot/deal-notes.ts', marker: "path: '/crm/v3/objects/notes'" },
  },
  // Completes a blocked run of our workflow action "create invoice / quote" (hubspot/workflow-callbacks.ts).
  {
    method: 'POST',
    path: '/automation/v4/actions/callbacks/{callbackId}/complete',
    spec: { file: 'actionsV4.json', path: '/automation/v4/actions/callbacks/{callbackId}/complete' },
    scope: 'automation',
    usedBy: { file: 'server/src/hubspot/workflow-callbacks.ts', marker: '/automation/v4/actions/callbacks/' },
  },
  // "Disconnect portal" removes the app from the account (hubspot/uninstall.ts); the spec accepts `oauth`.
  {
    method: 'DELETE',
    path: '/appinstalls/v3/external-install',
    spec: { file: 'appUninstalls.json', path: '/appinstalls/v3/external-install' },
    scope: 'oauth',
    usedBy: { file: 'server/src/hubspot/uninstall.ts', marker: "path: '/appinstalls/v3/external-install'" },
  },
  // OAuth (hubspot/oauth.ts): authenticated by the client secret or the token itself, no scope.
  {
    method: 'POST',
    path: '/oauth/v3/token',
    spec: { file: 'oauth-v3/oauth.json', path: '/oauth/v3/token' },
    scope: null,
    usedBy: { file: 'server/src/hubspot/oauth.ts', marker: "new URL('/oauth/v3/token'" },
  },
  {
    method: 'POST',
    path: '/oauth/v3/token/revoke',
    spec: { file: 'oauth-v3/oauth.json', path: '/oauth/v3/token/revoke' },
    scope: null,
    usedBy: { file: 'server/src/hubspot/oauth.ts', marker: "new URL('/oauth/v3/token/revoke'" },
  },
  {
    method: 'POST',
    path: '/oauth/v3/token/introspect',
    spec: { file: 'oauth-v3/oauth.json', path: '/oauth/v3/token/introspect' },
    scope: null,
    usedBy: { file: 'server/src/hubspot/oauth.ts', marker: "new URL('/oauth/v3/token/introspect'" },
  },
];

/**
 * Scopes needed beyond the calls above. Webhook subscriptions need the read scope of each subscribed
 * object (hubspot.md §4 table): webhooks-hsmeta.json subscribes to quote events, and the deal read asks
 * for the deal's quote associations (the "deal has a quote" invoicing condition).
 */
export const subscriptionScopes = ['crm.objects.quotes.read'] as const;

/** `oauth` first, as HubSpot's templates list it (hubspot.md §1.4), then every scope a call or subscription relies on. */
export const requiredScopes: readonly string[] = [
  'oauth',
  ...[...new Set([...hubspotOperations.flatMap((o) => (o.scope && o.scope !== 'oauth' ? [o.scope] : [])), ...subscriptionScopes])].sort(),
];
