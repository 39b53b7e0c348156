import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import {
  Alert,
  Button,
  Checkbox,
  ErrorState,
  Input,
  Link,
  LoadingButton,
  LoadingSpinner,
  MultiSelect,
  NumberInput,
  ProgressBar,
  Select,
  StatusTag,
  Text,
  TextArea,
  Toggle,
} from '@hubspot/ui-extensions';
import { renderTemplate as serverRenderTemplate, unknownPlaceholders as serverUnknown } from '../../../server/src/invoicing/template';
import { SettingsPage } from './SettingsPage';
import { renderTemplate, sampleContext, unknownPlaceholders } from './lib/template';
import { deferred, stubBackend, type Answer } from '../cards/test-utils/backend';
import { noFeatures } from '../cards/test-utils/fixtures';
import { dryRunReport, invoiceRules, makeSettings, settingsRoutes, syncRules } from '../cards/test-utils/settings-fixtures';
import { allText } from '../cards/test-utils/text';
import { catalogs, translator, type MessageKey } from './lib/i18n';
import { lexofficeRoundingChoices } from '../../../server/src/accounting/lexoffice/totals';
import { sevdeskRoundingChoices } from '../../../server/src/accounting/sevdesk/totals';
import { bexioRoundingChoices } from '../../../server/src/accounting/bexio/totals';
import { qontoRoundingChoices } from '../../../server/src/accounting/qonto/totals';

function renderPage(locale = 'en') {
  const renderer = createRenderer('settings');
  renderer.mocks.context.user.locale = locale;
  renderer.render(<SettingsPage />);
  return renderer;
}

/** The renderer types an event argument as the handler itself; at runtime it is the value. */
const value = <T,>(v: unknown) => v as T;

afterEach(() => vi.restoreAllMocks());

describe('settings page', () => {
  it('shows a spinner until the settings arrive', () => {
    const answer = deferred<Answer>();
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': () => answer.promise });
    const { find } = renderPage();
    expect(find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('renders every section in English with the current connection and package states', async () => {
    stubBackend(settingsRoutes());
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Text, 'connection-current').text).toBe('Connected to Lexware Office: Muster GmbH'));
    expect(findByTestId(Text, 'package-state-invoicing').text).toBe('Trial, 5 days left');
    expect(findByTestId(Text, 'package-state-sync').text).toBe('Not started');
    expect(findByTestId(Text, 'package-state-business').text).toBe('Trial ended');
    expect(findByTestId(Text, 'package-state-business_plus').text).toBe('Booked');
    await waitFor(() => expect(findByTestId(StatusTag, 'job-state-41').text).toBe('Failed'));
    expect(findByTestId(Text, 'conflict-5').text).toBe('company Muster GmbH (HubSpot 777)');
    expect(findByTestId(Text, 'disconnect-body').text).toContain('No data in HubSpot or in the accounting system is deleted');
  });

  it('warns when HubSpot changes arrived without a webhook, and says nothing while webhooks arrive', async () => {
    const webhooks = { lastEventAt: 1_774_915_200_000, lastSweepAt: 1_774_918_800_000, missedBySweep: { deals: 2, records: 5 }, warning: 'webhooks_missing' };
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: makeSettings({ webhooks }) } });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Alert, 'notice-webhooks').props.title).toBe('HubSpot changes arrived without a webhook'));
    expect(allText(findByTestId(Alert, 'notice-webhooks'))).toContain('2 deals and 5 contacts or companies');
    // Every section has loaded (the activity log is the last), so no request of this page outlives the test.
    await waitFor(() => findByTestId(StatusTag, 'job-state-41'));
  });

  it('shows no webhook notice when the sweep found nothing missed', async () => {
    stubBackend({
      ...settingsRoutes(),
      'GET /api/v1/settings': { body: makeSettings({ webhooks: { lastEventAt: 1, lastSweepAt: 2, missedBySweep: { deals: 0, records: 0 }, warning: null } }) },
    });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(StatusTag, 'job-state-41'));
    expect(maybeFindByTestId(Alert, 'notice-webhooks')).toBeNull();
  });

  const otherWriters = [
    {
      sourceId: '3141592',
      last7Days: 12,
      last30Days: 47,
      lastSeenAt: 1_795_510_800_000,
      lastObjectType: 'company',
      lastObjectId: '40000000009',
      lastPropertyName: 'city',
    },
    {
      sourceId: '2718281',
      last7Days: 0,
      last30Days: 3,
      lastSeenAt: 1_794_906_000_000,
      lastObjectType: 'contact',
      lastObjectId: '40000000002',
      lastPropertyName: 'phone',
    },
  ];

  it('names each other app that changes the synced records and how often, in English and German', async () => {
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: makeSettings({ otherWriters }) } });
    const en = renderPage();
    await en.waitFor(() =>
      expect(en.findByTestId(Alert, 'notice-other-writers').props.title).toBe('Another app also changes the contacts and companies APIUP syncs'),
    );
    expect(en.findByTestId(Text, 'other-writer-3141592').text).toMatch(
      /^App 3141592: changes in the last 7 days: 12, in the last 30 days: 47\. Latest: company 40000000009, property "city", /,
    );
    expect(en.findByTestId(Text, 'other-writer-2718281').text).toContain(
      'App 2718281: changes in the last 7 days: 0, in the last 30 days: 3. Latest: contact 40000000002, property "phone"',
    );
    expect(allText(en.findByTestId(Alert, 'notice-other-writers'))).toContain("each overwrites the other's changes");
    await en.waitFor(() => en.findByTestId(StatusTag, 'job-state-41'));

    const de = renderPage('de-DE');
    await de.waitFor(() =>
      expect(de.findByTestId(Alert, 'notice-other-writers').props.title).toBe(
        'Eine andere App ändert ebenfalls die Kontakte und Unternehmen, die APIUP abgleicht',
      ),
    );
    expect(de.findByTestId(Text, 'other-writer-3141592').text).toMatch(
      /^App 3141592: Änderungen in den letzten 7 Tagen: 12, in den letzten 30 Tagen: 47\. Zuletzt: Unternehmen 40000000009, Eigenschaft „city“, /,
    );
    await de.waitFor(() => de.findByTestId(StatusTag, 'job-state-41'));
  });

  it('shows no notice about other apps when none wrote the synced records, or the backend does not say', async () => {
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: makeSettings({ otherWriters: [] }) } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(StatusTag, 'job-state-41'));
    expect(maybeFindByTestId(Alert, 'notice-other-writers')).toBeNull();
    vi.restoreAllMocks();

    stubBackend(settingsRoutes());
    const older = renderPage();
    await older.waitFor(() => older.findByTestId(StatusTag, 'job-state-41'));
    expect(older.maybeFindByTestId(Alert, 'notice-other-writers')).toBeNull();
  });

  it('renders German texts for a German HubSpot user and asks the backend in German', async () => {
    const backend = stubBackend(settingsRoutes());
    const { findByTestId, waitFor } = renderPage('de-DE');
    await waitFor(() => expect(findByTestId(Text, 'connection-current').text).toBe('Verbunden mit Lexware Office: Muster GmbH'));
    expect(findByTestId(Checkbox, 'package-invoicing').text).toBe('Buchhaltung & Rechnung');
    expect(findByTestId(Text, 'disconnect-body').text).toContain('In HubSpot und in der Buchhaltung wird nichts gelöscht');
    expect(backend.sent.filter((r) => r.query.locale !== 'de').map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('asks the credentials of the chosen vendor and sends them with "test connection"', async () => {
    const backend = stubBackend({ ...settingsRoutes(), 'POST /api/v1/settings/connection/test': { body: { accountName: 'Qonto Org SAS' } } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Select, 'provider'));
    expect(findByTestId(Input, 'credential-apiKey').props.type).toBe('password');
    findByTestId(Select, 'provider').trigger('onChange', value('qonto'));
    expect(maybeFindByTestId(Input, 'credential-apiKey')).toBeNull();
    findByTestId(Input, 'credential-login').trigger('onChange', value('muster-org'));
    findByTestId(Input, 'credential-secretKey').trigger('onChange', value(' s3cret '));
    findByTestId(LoadingButton, 'test-connection').trigger('onClick');
    await waitFor(() => expect(findByTestId(Text, 'tested-account').text).toBe('Connection works. Account: Qonto Org SAS'));
    expect(backend.calls('POST', '/api/v1/settings/connection/test')[0].body).toEqual({
      provider: 'qonto',
      credentials: { login: 'muster-org', secretKey: 's3cret' },
    });
  });

  it.each([
    ['sevdesk', 'apiToken'],
    ['bexio', 'accessToken'],
  ])('connects %s with its %s via PUT /settings/connection', async (provider, field) => {
    const backend = stubBackend({ ...settingsRoutes(), 'PUT /api/v1/settings/connection': { body: { provider, accountName: 'Konto', connectedAt: 1 } } });
    const { findByTestId, waitFor, mocks } = renderPage();
    await waitFor(() => findByTestId(Select, 'provider'));
    findByTestId(Select, 'provider').trigger('onChange', value(provider));
    findByTestId(Input, `credential-${field}`).trigger('onChange', value('token-1'));
    findByTestId(LoadingButton, 'connect').trigger('onClick');
    await waitFor(() => expect(backend.calls('PUT', '/api/v1/settings/connection')).toHaveLength(1));
    expect(backend.calls('PUT', '/api/v1/settings/connection')[0].body).toEqual({ provider, credentials: { [field]: 'token-1' } });
    await waitFor(() => expect(mocks.actions.addAlert.calls[0][0]).toMatchObject({ type: 'success', message: 'Connected to Konto.' }));
  });

  it('shows the backend reason when the connection test fails', async () => {
    stubBackend({
      ...settingsRoutes(),
      'POST /api/v1/settings/connection/test': { status: 400, body: { error: { code: 'invalid_request', message: 'The API key was refused.' } } },
    });
    const { findByTestId, waitFor, mocks } = renderPage();
    await waitFor(() => findByTestId(Input, 'credential-apiKey'));
    findByTestId(Input, 'credential-apiKey').trigger('onChange', value('bad'));
    findByTestId(LoadingButton, 'test-connection').trigger('onClick');
    // No re-render follows the alert, so poll (the renderer's waitFor re-checks on renders only).
    await vi.waitFor(() =>
      expect(mocks.actions.addAlert.calls[0]?.[0]).toMatchObject({ type: 'danger', title: 'That did not work', message: 'The API key was refused.' }),
    );
  });

  it('books several selected packages through one Stripe Checkout link each', async () => {
    const backend = stubBackend({
      ...settingsRoutes(),
      'POST /api/v1/settings/billing/checkout': {
        body: {
          sessions: [
            { packageId: 'sync', url: 'https://checkout.stripe.com/c/pay/cs_test_sync' },
            { packageId: 'business', url: 'https://checkout.stripe.com/c/pay/cs_test_business' },
          ],
        },
      },
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Checkbox, 'package-sync'));
    findByTestId(Checkbox, 'package-sync').trigger('onChange', value(true));
    findByTestId(Checkbox, 'package-business').trigger('onChange', value(true));
    findByTestId(LoadingButton, 'packages-book').trigger('onClick');
    await waitFor(() =>
      expect(findByTestId(Link, 'checkout-business').props.href).toEqual({ url: 'https://checkout.stripe.com/c/pay/cs_test_business', external: true }),
    );
    expect(findByTestId(Link, 'checkout-sync').text).toBe('Pay for Sales & Contacts');
    const posted = backend.sent.filter((r) => r.method === 'POST');
    expect(posted.map((r) => r.path)).toEqual(['/api/v1/settings/billing/checkout']);
  });

  it('renders a live text preview with sample data and warns about unknown placeholders', async () => {
    stubBackend(settingsRoutes());
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Text, 'preview-title').text).toBe('Preview with sample data: Rechnung Website-Relaunch'));
    findByTestId(TextArea, 'text-introduction').trigger('onChange', value('Hallo {{contact.firstname}}, danke für {{deal.nmae}}.'));
    expect(findByTestId(Text, 'preview-introduction').text).toBe('Preview with sample data: Hallo Erika, danke für .');
    expect(findByTestId(Text, 'unknown-introduction').text).toBe('Unknown placeholder {{deal.nmae}} will stay empty.');
  });

  it('offers only invoices, and says why, when the backend reports a vendor without quotations', async () => {
    // Every connector builds quotations today; the page must still follow the capability the backend sends.
    const qonto = {
      connection: { provider: 'qonto', accountName: 'Bäckerei Hölzl & Söhne Großhandel GmbH', connectedAt: 1_767_225_600_000 },
      capabilities: { quotations: false, invoiceFromQuotation: false, invoiceCancellation: 'none' },
    };
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: makeSettings(qonto) } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage('de');
    await waitFor(() => findByTestId(Select, 'documentType'));
    expect(findByTestId(Select, 'documentType').props.options.map((o: { value: unknown }) => o.value)).toEqual(['invoice']);
    expect(findByTestId(Text, 'no-quotations').text).toBe(
      'Die verbundene Buchhaltung (Qonto) kann über ihre Schnittstelle keine Angebote anlegen; Deals werden daher abgerechnet.',
    );
    expect(maybeFindByTestId(Text, 'invoice-from-quotation')).toBeNull();
  });

  it('says in the sync rules that Qonto keeps no person-to-company link, and says nothing where the vendor has one', async () => {
    const qonto = {
      connection: { provider: 'qonto', accountName: 'Bäckerei Hölzl & Söhne Großhandel GmbH', connectedAt: 1_767_225_600_000 },
      capabilities: { quotations: true, invoiceFromQuotation: false, invoiceCancellation: 'credit_note', contactCompanyLink: false },
    };
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: makeSettings(qonto) } });
    const page = renderPage('de');
    await page.waitFor(() => page.findByTestId(Text, 'no-company-link'));
    expect(page.findByTestId(Text, 'no-company-link').text).toBe(
      'Die verbundene Buchhaltung (Qonto) kennt in ihrer Schnittstelle keine Verbindung zwischen Person und Firma: Kontakte und Unternehmen werden abgeglichen, die Zuordnung eines Kontakts zu seinem Unternehmen nicht.',
    );
    vi.restoreAllMocks();
    stubBackend(settingsRoutes());
    const linked = renderPage();
    await linked.waitFor(() => linked.findByTestId(Select, 'documentType'));
    expect(linked.maybeFindByTestId(Text, 'no-company-link')).toBeNull();
  });

  it('says that the invoice follows the quotation where the accounting system links them', async () => {
    stubBackend(settingsRoutes());
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Select, 'documentType'));
    expect(findByTestId(Select, 'documentType').props.options.map((o: { value: unknown }) => o.value)).toEqual(['invoice', 'quotation']);
    expect(findByTestId(Text, 'invoice-from-quotation').text).toContain('Create invoice from quotation');
    expect(maybeFindByTestId(Text, 'no-quotations')).toBeNull();
  });

  it('saves the invoice rules with PUT /settings/rules and passes on placeholder warnings', async () => {
    const saved = { ...invoiceRules, documentType: 'quotation', sendEmail: true, paymentTermDays: 30, conditions: { currency: 'EUR', requireQuote: true } };
    const backend = stubBackend({
      ...settingsRoutes(),
      'PUT /api/v1/settings/rules': {
        body: {
          rules: { invoice: saved, sync: syncRules },
          warnings: [
            { field: 'title', code: 'unknown_placeholder', placeholder: '{{deal.nmae}}' },
            { field: 'closingText', code: 'too_long', limit: 2000, length: 2048 },
          ],
        },
      },
    });
    const { findByTestId, waitFor, mocks } = renderPage();
    await waitFor(() => findByTestId(Select, 'documentType'));
    findByTestId(Select, 'documentType').trigger('onChange', value('quotation'));
    findByTestId(Toggle, 'sendEmail').trigger('onChange', value(true));
    findByTestId(NumberInput, 'paymentTermDays').trigger('onChange', value(30));
    findByTestId(Input, 'condition-currency').trigger('onChange', value('eur'));
    findByTestId(Toggle, 'condition-requireQuote').trigger('onChange', value(true));
    findByTestId(Select, 'missingTaxRate').trigger('onChange', value('skip'));
    findByTestId(Toggle, 'pricesIncludeVat').trigger('onChange', value(true));
    findByTestId(Toggle, 'eInvoiceForBusinessCustomers').trigger('onChange', value(false));
    findByTestId(LoadingButton, 'save-invoice-rules').trigger('onClick');
    await waitFor(() => expect(backend.calls('PUT', '/api/v1/settings/rules')).toHaveLength(1));
    expect(backend.calls('PUT', '/api/v1/settings/rules')[0].body).toEqual({
      invoice: {
        ...invoiceRules,
        documentType: 'quotation',
        sendEmail: true,
        paymentTermDays: 30,
        conditions: { currency: 'EUR', requireQuote: true },
        missingTaxRate: 'skip',
        pricesIncludeVat: true,
        eInvoiceForBusinessCustomers: false,
      },
    });
    await vi.waitFor(() =>
      expect(mocks.actions.addAlert.calls.map((c) => c[0])).toMatchObject([
        { type: 'success', message: 'Saved.' },
        { type: 'warning', message: 'Unknown placeholder {{deal.nmae}} will stay empty.' },
        {
          type: 'warning',
          message:
            'Closing text has 2048 characters before any placeholder is filled in; the accounting system takes 2000. No invoice can be created until it is shortened.',
        },
      ]),
    );
  });

  it("offers the connected vendor's unsettled rounding rules with a line on each reading, and saves the choice with the rules", async () => {
    const saved = { ...invoiceRules, roundingRules: { lexoffice: { discountRounding: 'discountFirst' } } };
    const backend = stubBackend({ ...settingsRoutes(), 'PUT /api/v1/settings/rules': { body: { rules: { invoice: saved, sync: syncRules }, warnings: [] } } });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Select, 'rounding-discountRounding'));
    const select = findByTestId(Select, 'rounding-discountRounding');
    expect(select.props.label).toBe('Line discount (LX-R2)');
    expect(select.props.value).toBe('discountedLine');
    expect(select.props.options).toEqual([
      { value: 'discountedLine', label: 'Round the discounted line (default)' },
      { value: 'discountFirst', label: 'Round the discount first' },
    ]);
    expect(findByTestId(Text, 'rounding-help').text).toContain('after creating, APIUP reads the totals of Lexware Office back and warns when they differ');
    expect(findByTestId(Text, 'rounding-discountRounding-help').text).toBe(
      'Quantity × price less the discount, rounded to cents once (7 × 12.35 at 10 % → 77.81).',
    );
    select.trigger('onChange', value('discountFirst'));
    await waitFor(() => expect(findByTestId(Text, 'rounding-discountRounding-help').text).toContain('86.45 − 8.65 = 77.80'));
    findByTestId(LoadingButton, 'save-invoice-rules').trigger('onClick');
    await waitFor(() => expect(backend.calls('PUT', '/api/v1/settings/rules')).toHaveLength(1));
    expect(backend.calls('PUT', '/api/v1/settings/rules')[0].body).toEqual({ invoice: saved });
  });

  it("shows bexio's own rounding choice and its Swiss standard rate in German, and no rounding choices without a connection", async () => {
    const bexio = {
      provider: 'bexio',
      defaultTaxRatePercent: '8.1',
      roundingChoices: [{ option: 'precision', values: ['docs', 'cent-positions'], rule: 'BX-R3' }],
    };
    const connected = makeSettings({
      connection: { provider: 'bexio', accountName: 'Bäckerei Hölzl AG', connectedAt: 1_767_225_600_000 },
      vendorRules: bexio,
      rules: { invoice: { ...invoiceRules, roundingRules: { bexio: { precision: 'cent-positions' } } }, sync: syncRules },
    });
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: connected } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage('de');
    await waitFor(() => findByTestId(Select, 'rounding-precision'));
    expect(findByTestId(Select, 'rounding-precision').props.value).toBe('cent-positions');
    expect(findByTestId(Select, 'rounding-precision').props.label).toBe('Nachkommastellen der Positionen (BX-R3)');
    expect(findByTestId(Text, 'rounding-precision-help').text).toBe(
      'Jede Position wird erst auf Cent (Rappen) gerundet (1,5 × 33,33 = 50,00), dann werden Steuer und Endbetrag berechnet.',
    );
    expect(maybeFindByTestId(Select, 'rounding-discountRounding')).toBeNull();
    expect(findByTestId(Input, 'defaultTaxRatePercent').props.placeholder).toBe('8.1');
    expect(findByTestId(Text, 'default-tax-vendor').text).toBe('Leer: der Normalsatz von bexio, 8.1 %.');
    await waitFor(() => findByTestId(StatusTag, 'job-state-41'));
  });

  it('shows no rounding choices and no vendor rate while no accounting system is connected', async () => {
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: makeSettings({ connection: null, capabilities: null, vendorRules: null }) } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Select, 'documentType'));
    expect(maybeFindByTestId(Select, 'rounding-discountRounding')).toBeNull();
    expect(maybeFindByTestId(Text, 'default-tax-vendor')).toBeNull();
    await waitFor(() => findByTestId(StatusTag, 'job-state-41'));
  });

  it("has a label and a one-line explanation for every reading the backend's vendors offer", () => {
    const t = { en: translator('en'), de: translator('de') };
    for (const choice of [...lexofficeRoundingChoices, ...sevdeskRoundingChoices, ...bexioRoundingChoices, ...qontoRoundingChoices]) {
      for (const reading of choice.values) {
        for (const lang of ['en', 'de'] as const) {
          expect(catalogs[lang][`rounding.${choice.option}.${reading}` as MessageKey], `${lang} ${choice.option}.${reading}`).toBeTruthy();
          expect(catalogs[lang][`rounding.${choice.option}.${reading}.help` as MessageKey], `${lang} ${choice.option}.${reading}.help`).toBeTruthy();
        }
      }
      expect(t.en(`rounding.${choice.option}` as MessageKey)).not.toBe('');
    }
  });

  it("shows per pipeline what creates a document by default, from HubSpot's pipelines", async () => {
    stubBackend(settingsRoutes());
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Select, 'trigger-mode-default').props.value).toBe('default'));
    expect(findByTestId(Select, 'trigger-mode-default').props.label).toBe('Pipeline "Sales Pipeline"');
    expect(findByTestId(Text, 'trigger-default-default').text).toBe('Won stages here: Closed Won');
    expect(findByTestId(Text, 'trigger-default-84729301').text).toBe('Won stages here: Projekt beauftragt');
    expect(maybeFindByTestId(MultiSelect, 'trigger-invoice-default')).toBeNull();
  });

  it('saves chosen stages for an invoice and a quote, and an ignored pipeline, with the invoice rules', async () => {
    const backend = stubBackend({
      ...settingsRoutes(),
      'PUT /api/v1/settings/rules': { body: { rules: { invoice: invoiceRules, sync: syncRules }, warnings: [] } },
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Select, 'trigger-mode-84729301'));
    findByTestId(Select, 'trigger-mode-84729301').trigger('onChange', value('custom'));
    // Chosen stages start from what the default did: the won stage creates an invoice.
    expect(findByTestId(MultiSelect, 'trigger-invoice-84729301').props.value).toEqual(['93847561']);
    findByTestId(MultiSelect, 'trigger-invoice-84729301').trigger('onChange', value(['93847562']));
    findByTestId(MultiSelect, 'trigger-quote-84729301').trigger('onChange', value(['93847560']));
    // A stage chosen for an invoice is not offered for a quote, and the other way round.
    expect(findByTestId(MultiSelect, 'trigger-quote-84729301').props.options.map((o) => o.value)).toEqual(['93847560', '93847561']);
    expect(findByTestId(MultiSelect, 'trigger-invoice-84729301').props.options.map((o) => o.value)).toEqual(['93847561', '93847562']);
    findByTestId(Select, 'trigger-mode-default').trigger('onChange', value('ignored'));
    findByTestId(LoadingButton, 'save-invoice-rules').trigger('onClick');
    await waitFor(() => expect(backend.calls('PUT', '/api/v1/settings/rules')).toHaveLength(1));
    expect(backend.calls('PUT', '/api/v1/settings/rules')[0].body).toEqual({
      invoice: {
        ...invoiceRules,
        triggers: {
          '84729301': { ignored: false, invoiceStages: ['93847562'], quoteStages: ['93847560'] },
          default: { ignored: true, invoiceStages: [], quoteStages: [] },
        },
      },
    });
  });

  it('shows a saved choice, says when no stage is chosen, and goes back to the default', async () => {
    const triggers = { '84729301': { ignored: false, invoiceStages: [], quoteStages: [] } };
    const backend = stubBackend({
      ...settingsRoutes({ 'GET /api/v1/settings': { body: makeSettings({ rules: { invoice: { ...invoiceRules, triggers }, sync: syncRules } }) } }),
      'PUT /api/v1/settings/rules': { body: { rules: { invoice: invoiceRules, sync: syncRules }, warnings: [] } },
    });
    const { findByTestId, waitFor } = renderPage('de');
    await waitFor(() => expect(findByTestId(Select, 'trigger-mode-84729301').props.value).toBe('custom'));
    expect(findByTestId(Text, 'trigger-none-84729301').text).toBe('Keine Phase gewählt: In dieser Pipeline wird nichts automatisch erstellt.');
    expect(findByTestId(MultiSelect, 'trigger-quote-84729301').props.label).toBe('Phasen, die ein Angebot erstellen');
    findByTestId(Select, 'trigger-mode-84729301').trigger('onChange', value('default'));
    findByTestId(LoadingButton, 'save-invoice-rules').trigger('onClick');
    await waitFor(() => expect(backend.calls('PUT', '/api/v1/settings/rules')).toHaveLength(1));
    expect((backend.calls('PUT', '/api/v1/settings/rules')[0].body as { invoice: { triggers: unknown } }).invoice.triggers).toEqual({});
  });

  it('keeps the rest of the invoice rules usable when the pipelines cannot be read', async () => {
    stubBackend(
      settingsRoutes({
        'GET /api/v1/settings/pipelines': { status: 403, body: { error: { code: 'forbidden', message: 'The HubSpot connection needs re-authorisation.' } } },
      }),
    );
    const { findByTestId, findAll, waitFor } = renderPage();
    await waitFor(() => expect(findAll(ErrorState).some((e) => allText(e).includes('The HubSpot connection needs re-authorisation.'))).toBe(true));
    expect(findByTestId(LoadingButton, 'save-invoice-rules').props.disabled).not.toBe(true);
  });

  it('saves sync directions, deletion and field owners', async () => {
    const backend = stubBackend({
      ...settingsRoutes(),
      'PUT /api/v1/settings/rules': { body: { rules: { invoice: invoiceRules, sync: syncRules }, warnings: [] } },
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Toggle, 'accountingToHubspot'));
    findByTestId(Toggle, 'accountingToHubspot').trigger('onChange', value(false));
    findByTestId(Select, 'deletion-fromHubspot').trigger('onChange', value('mirror'));
    findByTestId(Select, 'owner-email').trigger('onChange', value('hubspot'));
    findByTestId(Select, 'owner-vatId').trigger('onChange', value('accounting'));
    expect(findByTestId(Select, 'owner-vatId').props.label).toBe('Who wins for VAT id');
    findByTestId(LoadingButton, 'save-sync-rules').trigger('onClick');
    await waitFor(() => expect(backend.calls('PUT', '/api/v1/settings/rules')).toHaveLength(1));
    expect(backend.calls('PUT', '/api/v1/settings/rules')[0].body).toEqual({
      sync: {
        ...syncRules,
        accountingToHubspot: false,
        deletion: { fromHubspot: 'mirror', fromAccounting: 'ignore' },
        fieldOwners: { email: 'hubspot', vatId: 'accounting' },
      },
    });
  });

  it('saves what a GDPR deletion in HubSpot does to the accounting customer, keep being the default', async () => {
    const backend = stubBackend({
      ...settingsRoutes(),
      'PUT /api/v1/settings/rules': { body: { rules: { invoice: invoiceRules, sync: syncRules }, warnings: [] } },
    });
    const { findByTestId, waitFor } = renderPage('de');
    await waitFor(() => findByTestId(Select, 'gdprVendorAction'));
    const select = findByTestId(Select, 'gdprVendorAction');
    expect(select.props.value).toBe('keep');
    expect(select.props.label).toBe('Kontakt in HubSpot DSGVO-konform gelöscht');
    expect((select.props.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['keep', 'anonymise', 'delete']);
    select.trigger('onChange', value('anonymise'));
    findByTestId(LoadingButton, 'save-sync-rules').trigger('onClick');
    await waitFor(() => expect(backend.calls('PUT', '/api/v1/settings/rules')).toHaveLength(1));
    expect((backend.calls('PUT', '/api/v1/settings/rules')[0].body as { sync: { gdprVendorAction: string } }).sync.gdprVendorAction).toBe('anonymise');
  });

  it('starts the initial sync only after a dry run and a confirmation, then shows progress', async () => {
    let started = false;
    const backend = stubBackend({
      ...settingsRoutes(),
      'GET /api/v1/settings/initial-sync': () => ({
        body: { run: started ? { id: 1, state: 'running', done: 4, total: 16, startedAt: 1, finishedAt: null } : null },
      }),
      'POST /api/v1/settings/initial-sync/dry-run': { body: dryRunReport },
      'POST /api/v1/settings/initial-sync/start': () => {
        started = true;
        return { body: { runId: 1 } };
      },
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(LoadingButton, 'start-initial-sync'));
    expect(findByTestId(LoadingButton, 'start-initial-sync').props.disabled).toBe(true);
    findByTestId(LoadingButton, 'dry-run').trigger('onClick');
    await waitFor(() => expect(findByTestId(Text, 'report-hubspot').text).toBe('HubSpot: 3 to create, 10 to link, 1 conflicts'));
    expect(findByTestId(LoadingButton, 'start-initial-sync').props.disabled).toBe(true);
    findByTestId(Checkbox, 'confirm-initial-sync').trigger('onChange', value(true));
    findByTestId(LoadingButton, 'start-initial-sync').trigger('onClick');
    await waitFor(() => expect(findByTestId(ProgressBar, 'initial-progress').props.valueDescription).toBe('4 of 16'));
    expect(backend.calls('POST', '/api/v1/settings/initial-sync/start')).toHaveLength(1);
  });

  it('resolves a conflict from the list', async () => {
    const backend = stubBackend({ ...settingsRoutes(), 'POST /api/v1/settings/conflicts/5/resolve': { body: { resolved: true } } });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Button, 'resolve-5-V2'));
    expect(findByTestId(Button, 'resolve-5-V2').text).toBe('Use Muster GmbH Berlin <info@muster.de>');
    findByTestId(Button, 'resolve-5-V2').trigger('onClick');
    await waitFor(() => expect(backend.calls('POST', '/api/v1/settings/conflicts/5/resolve')).toHaveLength(1));
    expect(backend.calls('POST', '/api/v1/settings/conflicts/5/resolve')[0].body).toEqual({ vendorId: 'V2' });
  });

  it('lists the records kept in the accounting system after a HubSpot deletion, in English and German', async () => {
    stubBackend(settingsRoutes());
    const en = renderPage();
    await en.waitFor(() =>
      expect(en.findByTestId(Text, 'kept-e3a1c9d2-4b7f-4c61-9f0e-2d8b5a7c1e44').text).toBe(
        'Contact Jürgen Müller-Lüdenscheidt (in Lexware Office: e3a1c9d2-4b7f-4c61-9f0e-2d8b5a7c1e44)',
      ),
    );
    expect(en.findByTestId(Text, 'kept-intro').text).toContain('does not bring them back to HubSpot');
    const de = renderPage('de-DE');
    await de.waitFor(() =>
      expect(de.findByTestId(Text, 'kept-e3a1c9d2-4b7f-4c61-9f0e-2d8b5a7c1e44').text).toBe(
        'Kontakt Jürgen Müller-Lüdenscheidt (in Lexware Office: e3a1c9d2-4b7f-4c61-9f0e-2d8b5a7c1e44)',
      ),
    );
    expect(de.findByTestId(Text, 'kept-intro').text).toContain('holt sie nicht nach HubSpot zurück');
  });

  it('says so when no record was kept', async () => {
    stubBackend(settingsRoutes({ 'GET /api/v1/settings/sync/kept': { body: { provider: 'lexoffice', kept: [] } } }));
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Text, 'kept-none').text).toBe('No records kept.'));
  });

  it('filters the activity log by state and retries a dead job', async () => {
    const backend = stubBackend({ ...settingsRoutes(), 'POST /api/v1/settings/activity/41/retry': { body: { retried: 41 } } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => findByTestId(Button, 'retry-job-41'));
    expect(maybeFindByTestId(Button, 'retry-job-42')).toBeNull();
    expect(findByTestId(Text, 'job-warning-42-totals_differ').text).toContain('gross 11.90 instead of 14.88 EUR');
    findByTestId(Button, 'retry-job-41').trigger('onClick');
    await waitFor(() => expect(backend.calls('POST', '/api/v1/settings/activity/41/retry')).toHaveLength(1));
    findByTestId(Select, 'activity-filter').trigger('onChange', value('dead'));
    await waitFor(() => expect(backend.calls('GET', '/api/v1/settings/activity').at(-1)?.query).toEqual({ locale: 'en', state: 'dead', limit: '25' }));
  });

  it('disconnects only after a second click, removes the app from HubSpot and says nothing else is deleted', async () => {
    const backend = stubBackend({
      ...settingsRoutes(),
      'DELETE /api/v1/settings/portal': { body: { disconnected: true, uninstalledFromHubspot: true, deletedElsewhere: false } },
    });
    const { findByTestId, waitFor, mocks } = renderPage();
    await waitFor(() => findByTestId(Button, 'disconnect'));
    expect(findByTestId(Text, 'disconnect-body').text).toContain('APIUP is removed from this HubSpot account');
    findByTestId(Button, 'disconnect').trigger('onClick');
    expect(backend.calls('DELETE', '/api/v1/settings/portal')).toHaveLength(0);
    findByTestId(LoadingButton, 'disconnect-confirm').trigger('onClick');
    await waitFor(() =>
      expect(mocks.actions.addAlert.calls[0][0]).toMatchObject({
        type: 'success',
        message: 'Disconnected and removed from HubSpot. No data in HubSpot or the accounting system was deleted.',
      }),
    );
    expect(backend.calls('DELETE', '/api/v1/settings/portal')).toHaveLength(1);
  });

  it('says where to remove the app by hand when HubSpot no longer accepted its access', async () => {
    stubBackend({
      ...settingsRoutes(),
      'DELETE /api/v1/settings/portal': { body: { disconnected: true, uninstalledFromHubspot: false, deletedElsewhere: false } },
    });
    const { findByTestId, waitFor, mocks } = renderPage('de');
    await waitFor(() => findByTestId(Button, 'disconnect'));
    findByTestId(Button, 'disconnect').trigger('onClick');
    findByTestId(LoadingButton, 'disconnect-confirm').trigger('onClick');
    await vi.waitFor(() => expect(mocks.actions.addAlert.calls[0]?.[0].message).toContain('„Verbundene Apps“'));
  });

  it('offers "connect" with the install link when APIUP is not connected to the HubSpot account', async () => {
    stubBackend({ ...settingsRoutes(), 'GET /api/v1/settings': { body: makeSettings({ portal: { id: '123', status: 'not_connected' }, connection: null }) } });
    const { findByTestId, maybeFindByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Alert, 'notice-connect').props.title).toBe('APIUP is not connected to this HubSpot account'));
    expect(findByTestId(Alert, 'notice-connect').find(Button).props.href).toEqual({ url: 'https://api.apiup.app/oauth/install', external: true });
    expect(findByTestId(Alert, 'notice-connect').find(Button).text).toBe('Connect');
    expect(maybeFindByTestId(Alert, 'notice-reauth')).toBeNull();
  });

  it('asks for re-authorisation and notes that conditions need Business Plus', async () => {
    stubBackend({
      ...settingsRoutes(),
      'GET /api/v1/settings': { body: makeSettings({ portal: { id: '123', status: 'needs_reauth' }, features: noFeatures }) },
    });
    const { findByTestId, waitFor } = renderPage();
    await waitFor(() => expect(findByTestId(Alert, 'notice-reauth').props.title).toBe('HubSpot connection expired'));
    expect(findByTestId(Text, 'needs-plus').text).toBe('Conditions and texts take effect with Business Plus.');
  });

  it('shows the error with a way to try again when settings cannot be loaded', async () => {
    stubBackend({
      ...settingsRoutes(),
      'GET /api/v1/settings': {
        status: 502,
        body: { message: 'Unacceptable HTTP status 401', responseBody: JSON.stringify({ error: { code: 'unauthenticated', message: 'Bad signature.' } }) },
      },
    });
    const { find, waitFor } = renderPage();
    await waitFor(() => expect(allText(find(ErrorState))).toContain('Bad signature.'));
  });
});

describe('text template preview', () => {
  it('renders and checks placeholders exactly like the backend', () => {
    const samples = [
      'Rechnung {{deal.name}}',
      'Hallo {{ contact.firstname }} {{contact.lastname}}',
      '{{company.vat_id}} {{deal.unknown}} {{foo.bar}}',
      'plain',
      '{{deal.constructor}} {{constructor.name}} {{__proto__.toString}}',
    ];
    for (const s of samples) {
      expect(renderTemplate(s, sampleContext)).toBe(serverRenderTemplate(s, sampleContext));
      expect(unknownPlaceholders(s)).toEqual(serverUnknown(s));
    }
  });
});
