/** The demo's moves, each through the API a real user or HubSpot itself would use. */
import type { AccountingProvider, ProviderId } from '../../server/src/accounting/provider';
import { hubspotSignedHeaders } from '../../server/src/hubspot/signature';
import type { RunningApiup } from '../../server/src/runtime';
import type { HubspotSandbox } from '../../server/src/sandboxes/hubspot/app';

export interface DemoStep {
  title: string;
  run: () => Promise<string>;
}

export class DemoSession {
  portalId = '';
  dealId = '';
  private privateToken = '';

  constructor(
    readonly app: RunningApiup,
    readonly provider: ProviderId,
  ) {}

  get sandboxes() {
    return this.app.sandboxes!;
  }

  async vendor(): Promise<AccountingProvider> {
    return (await this.app.services.connections.providerFor(this.portalId))!.provider;
  }

  /** Runs each step, narrating; stops at the first failure. Prints the summary table. */
  async runAll(steps: DemoStep[], print: (line: string) => void): Promise<boolean> {
    const rows: Array<[string, string, string]> = [];
    print(`APIUP demo · provider ${this.provider} · backend ${this.app.url}\n`);
    for (const [index, step] of steps.entries()) {
      print(`${index + 1}. ${step.title} …`);
      const started = Date.now();
      try {
        // A step's `run` is its own function (not a query builder's `.run()`).
        const { run } = step;
        const result = await run();
        const ms = `${Date.now() - started} ms`;
        print(`   ✔ ${result} (${ms})`);
        rows.push([step.title, 'ok', ms]);
      } catch (error) {
        print(`   ✘ failed: ${error instanceof Error ? error.message : String(error)}`);
        rows.push([step.title, 'FAILED', `${Date.now() - started} ms`]);
        printTable(rows, print);
        print(`\nThe demo stopped at step ${index + 1}: ${step.title}`);
        return false;
      }
    }
    printTable(rows, print);
    return true;
  }

  /** The real install: /oauth/install → HubSpot's authorize page → our callback. */
  async install(): Promise<string> {
    const install = await fetch(`${this.app.url}/oauth/install`, { redirect: 'manual' });
    const approved = await fetch(install.headers.get('location')!, { redirect: 'manual' });
    const callback = await fetch(approved.headers.get('location')!);
    if (callback.status !== 200) throw new Error(`OAuth callback answered ${callback.status}`);
    const directory = (await (await fetch(`${this.app.url}/sandbox`)).json()) as { hubspot: { portalId: string } };
    this.portalId = directory.hubspot.portalId;
    this.privateToken = this.sandboxes.hubspot.issuePrivateAppToken(Number(this.portalId));
    await this.app.queue.waitFor(`portal-setup:${this.portalId}`, 'succeeded', 30_000);
    return this.portalId;
  }

  async connectAccounting(): Promise<{ accountName: string }> {
    const directory = (await (await fetch(`${this.app.url}/sandbox`)).json()) as { accounting: Record<string, { credentials: Record<string, string> }> };
    return this.signed('PUT', '/api/v1/settings/connection', { provider: this.provider, credentials: directory.accounting[this.provider].credentials });
  }

  /** A `hubspot.fetch` call as the settings page or a card makes it, signed like HubSpot signs it. */
  async signed(method: string, path: string, body?: unknown): Promise<any> {
    const url = new URL(path, this.app.url);
    url.searchParams.set('portalId', this.portalId);
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers = hubspotSignedHeaders({ clientSecret: this.app.config.hubspot.clientSecret!, method, url: url.toString(), body: raw });
    const response = await fetch(url, { method, body: raw || undefined, headers });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  }

  /** HubSpot's CRM API with a private app's token, as a user's script would call it (waiting out 429s). */
  async hubspot(method: string, path: string, body?: unknown): Promise<any> {
    for (;;) {
      const response = await fetch(`${this.sandboxes.list()[0].url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.privateToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await response.json();
      if (response.status === 429) {
        await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      if (!response.ok) throw new Error(`HubSpot ${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
      return json;
    }
  }

  /** The package's state once the subscription webhook has been processed (the redirect alone changes nothing). */
  async waitForPackage(packageId: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const settings = await this.signed('GET', '/api/v1/settings');
      const state = settings.packages.find((p: { id: string }) => p.id === packageId).state.state;
      if (state === 'active' || Date.now() > deadline) return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async winDeal() {
    const [standard, reduced] = accountRates(this.sandboxes.hubspot, Number(this.portalId), this.sandboxes.vendors[this.provider].entry.accountVatRates);
    const rates = await this.hubspot('GET', '/tax-rates/v1/tax-rates');
    const rate = (percent: number) => rates.results.find((r: { percentageRate: number }) => r.percentageRate === percent).id;
    // A public-body customer, complete as an e-invoice (on by default) needs it: address, Leitweg-ID and our supplier
    // number there (company properties of the "APIUP" group, made by the portal setup), and a contact's e-mail.
    const company = await this.hubspot('POST', '/crm/v3/objects/companies', {
      properties: {
        name: 'Demo Kunde GmbH',
        address: 'Friedrichstraße 100',
        zip: '10117',
        city: 'Berlin',
        country: 'DE',
        apiup_buyer_reference: '04011000-1234512345-35',
        apiup_vendor_number_at_customer: '70123456',
      },
      associations: [],
    });
    const contact = await this.hubspot('POST', '/crm/v3/objects/contacts', {
      properties: { firstname: 'Erika', lastname: 'Mustermann', email: 'erika.mustermann@demo-kunde.example' },
      associations: [],
    });
    const items = [
      { name: 'Beratung', quantity: '4', price: '120.00', hs_tax_rate_group_id: rate(standard) },
      { name: 'Fachbuch', quantity: '2', price: '39.90', hs_tax_rate_group_id: rate(reduced), hs_discount_percentage: '10' },
      { name: 'Versand ins Ausland', quantity: '1', price: '15.00', hs_tax_rate_group_id: rate(0) },
    ];
    const lineItems = [];
    for (const properties of items) lineItems.push(await this.hubspot('POST', '/crm/v3/objects/line_items', { properties, associations: [] }));
    const deal = await this.hubspot('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'APIUP Demo', pipeline: 'default', dealstage: 'contractsent', deal_currency_code: 'EUR' },
      associations: [
        { to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }] },
        { to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
        ...lineItems.map((li) => ({ to: { id: li.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 19 }] })),
      ],
    });
    this.dealId = deal.id;
    await this.hubspot('PATCH', `/crm/v3/objects/deals/${deal.id}`, { properties: { dealstage: 'closedwon' } });
    const numberOnDeal = await this.waitForDealProperty('apiup_invoice_number');
    const card = await this.signed('GET', `/api/v1/deals/${this.dealId}/invoice`);
    return { ...card.invoice, numberOnDeal };
  }

  async downloadPdf(): Promise<Buffer> {
    const card = await this.signed('GET', `/api/v1/deals/${this.dealId}/invoice`);
    const response = await fetch(card.invoice.pdfUrl);
    if (!response.ok) throw new Error(`PDF download answered ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  /** Marks the invoice paid through the vendor sandbox's own control route. */
  async payAndWait(): Promise<string> {
    const record = (await this.app.services.invoicing.records.get(this.portalId, this.dealId))!;
    const today = new Date().toISOString().slice(0, 10);
    const response = await fetch(`${this.sandboxes.vendors[this.provider].url}/_sandbox/documents/${record.documentId}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paidDate: today }),
    });
    if (!response.ok) throw new Error(`the ${this.provider} sandbox answered ${response.status}`);
    return this.waitForDealProperty('apiup_payment_date');
  }

  async waitForDealProperty(name: string, timeoutMs = 30_000): Promise<string> {
    return this.waitFor(
      `deal property ${name}`,
      async () => {
        const deal = await this.hubspot('GET', `/crm/v3/objects/deals/${this.dealId}?properties=${name}`);
        return deal.properties[name] || undefined;
      },
      timeoutMs,
    );
  }

  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not appear within ${timeoutMs / 1000} s`);
      // Gently: the demo's own reads share the portal's HubSpot limit with APIUP.
      await new Promise((r) => setTimeout(r, 400));
    }
  }
}

function printTable(rows: Array<[string, string, string]>, print: (line: string) => void): void {
  const width = Math.max(...rows.map((r) => r[0].length), 4);
  print(`\n${'step'.padEnd(width)}  result  time`);
  print(`${'-'.repeat(width)}  ------  --------`);
  for (const [title, result, ms] of rows) print(`${title.padEnd(width)}  ${result.padEnd(6)}  ${ms}`);
}

/**
 * The vendor account's standard and reduced VAT rates (its sandbox entry), added to the portal's HubSpot
 * tax library where missing, as the seller keeps them there (a Swiss bexio account has no 19 / 7 %).
 */
export function accountRates(hubspot: HubspotSandbox, portalId: number, rates: { standard: string; reduced: string }): [number, number] {
  for (const percentageRate of [rates.standard, rates.reduced]) {
    if (!hubspot.store.ensurePortal(portalId).taxRates.some((r) => r.percentageRate === percentageRate)) {
      hubspot.addTaxRate(portalId, { name: `VAT_${percentageRate.replace('.', '_')}`, label: `VAT ${percentageRate} %`, percentageRate });
    }
  }
  return [Number(rates.standard), Number(rates.reduced)];
}
