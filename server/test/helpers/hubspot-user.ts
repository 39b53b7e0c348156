/**
 * Acts as a HubSpot user against the HubSpot sandbox: creates pipelines, companies, contacts, deals
 * with line items, and moves deals between stages. Changes are marked as made in HubSpot's UI, so
 * their webhooks are not our own echo.
 */
import type { HubspotSandbox } from '../../src/sandboxes/hubspot/app';

export interface DealFixture {
  dealId: string;
  companyId: string;
  contactId: string;
  lineItemIds: string[];
}

let contactSeq = 0;

export class HubspotUser {
  private readonly portal: number;

  constructor(
    private readonly sandbox: HubspotSandbox,
    private readonly baseUrl: string,
    portalId: string,
    private readonly accessToken: string,
  ) {
    this.portal = Number(portalId);
  }

  async api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.accessToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A custom pipeline with an open stage and a won stage (probability 1.0). */
  async createPipeline(label = 'Projects'): Promise<{ pipelineId: string; openStageId: string; wonStageId: string; lostStageId: string }> {
    const pipeline = await this.api('POST', '/crm/v3/pipelines/deals', {
      label,
      displayOrder: 1,
      stages: [
        { label: 'Offer sent', displayOrder: 0, metadata: { probability: '0.5' } },
        { label: 'Signed', displayOrder: 1, metadata: { probability: '1.0', isClosed: 'true' } },
        { label: 'Gone', displayOrder: 2, metadata: { probability: '0.0', isClosed: 'true' } },
      ],
    });
    const [open, won, lost] = pipeline.stages as Array<{ id: string }>;
    return { pipelineId: pipeline.id, openStageId: open.id, wonStageId: won.id, lostStageId: lost.id };
  }

  async taxRateIds(): Promise<Record<string, string>> {
    const page = await this.api<{ results: Array<{ id: string; percentageRate: number }> }>('GET', '/tax-rates/v1/tax-rates');
    return Object.fromEntries(page.results.map((r) => [String(r.percentageRate), r.id]));
  }

  create(objectType: string, properties: Record<string, string>): string {
    return this.sandbox.simulateChange(this.portal, objectType, undefined, properties).id;
  }

  update(objectType: string, id: string, properties: Record<string, string>): void {
    this.sandbox.simulateChange(this.portal, objectType, id, properties);
  }

  associate(fromType: string, fromId: string, toType: string, toId: string): void {
    this.sandbox.simulateAssociation(this.portal, fromType, fromId, toType, toId);
  }

  /** A deal in `stageId` with a company, a contact and the given line items. */
  async createDeal(options: {
    pipelineId: string;
    stageId: string;
    name?: string;
    currency?: string;
    lineItems: Array<Record<string, string>>;
    company?: Record<string, string>;
    contact?: Record<string, string>;
  }): Promise<DealFixture> {
    const companyId = this.create('companies', options.company ?? { name: 'ACME GmbH', address: 'Hauptstraße 1', zip: '10115', city: 'Berlin', country: 'DE' });
    const contactId = this.create('contacts', options.contact ?? { firstname: 'Jürgen', lastname: 'Müller', email: `juergen.${++contactSeq}@acme.example` });
    const dealId = this.create('deals', {
      dealname: options.name ?? 'Website relaunch',
      pipeline: options.pipelineId,
      dealstage: options.stageId,
      deal_currency_code: options.currency ?? 'EUR',
      amount: '1000',
    });
    const lineItemIds = options.lineItems.map((properties) => this.create('line_items', properties));
    for (const id of lineItemIds) this.associate('deals', dealId, 'line_items', id);
    this.associate('deals', dealId, 'companies', companyId);
    this.associate('deals', dealId, 'contacts', contactId);
    return { dealId, companyId, contactId, lineItemIds };
  }

  async dealProperties(dealId: string, names: string[]): Promise<Record<string, string | null>> {
    const deal = await this.api('GET', `/crm/v3/objects/deals/${dealId}?properties=${names.join(',')}`);
    return deal.properties;
  }
}
