/**
 * `npm run demo [-- --provider lexoffice|sevdesk|bexio|qonto]`: a narrated run of APIUP in sandbox
 * mode, through HubSpot's and the vendor's own API shapes. Ends with a summary table and exit 0, or
 * names the step that failed and exits 1.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { providerIds, type ProviderId } from '../server/src/accounting/provider';
import { loadConfig } from '../server/src/config';
import { createLogger, silentLogger } from '../server/src/logger';
import { startApiup } from '../server/src/runtime';
import { DemoSession, type DemoStep } from './demo/session';
import { syncSteps } from './demo/sync-steps';

const { values } = parseArgs({ options: { provider: { type: 'string', default: 'lexoffice' }, out: { type: 'string', default: 'demo-output' } } });
const provider = values.provider as ProviderId;
if (!providerIds.includes(provider)) {
  process.stderr.write(`--provider must be one of ${providerIds.join(', ')}\n`);
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'apiup-demo-'));
const config = loadConfig({
  PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  SANDBOX_DEMO_PROVIDER: 'none',
  INVOICE_PAYMENT_POLL_MS: '300',
  QUEUE_POLL_MS: '50',
});
const app = await startApiup(config, process.env.DEMO_LOG ? createLogger({ level: 'info' } as never) : silentLogger());
const demo = new DemoSession(app, provider);
mkdirSync(values.out!, { recursive: true });

const steps: DemoStep[] = [
  {
    title: 'Install the app in HubSpot (OAuth)',
    run: async () => `portal ${await demo.install()} installed, deal properties created`,
  },
  {
    title: `Connect ${provider}`,
    run: async () => {
      const connection = await demo.connectAccounting();
      return `connected to "${connection.accountName}"`;
    },
  },
  {
    title: 'Book Business Plus (Stripe Checkout in the sandbox)',
    run: async () => {
      const { sessions } = await demo.signed('POST', '/api/v1/settings/billing/checkout', { packageIds: ['business_plus'], locale: 'de' });
      const stripe = demo.sandboxes.stripe.sandbox;
      const subscription = stripe.pay(sessions[0].url.split('/').pop(), { country: 'DE' });
      await stripe.outbox.settled();
      const state = await demo.waitForPackage('business_plus');
      return `Stripe subscription ${subscription.status}; package business_plus: ${state}`;
    },
  },
  ...syncSteps(demo),
  {
    title: 'Move a deal with three line items to won',
    run: async () => {
      const invoice = await demo.winDeal();
      return `invoice ${invoice.number}: net ${invoice.totals.net}, tax ${invoice.totals.tax}, gross ${invoice.totals.gross} ${invoice.currency}; deal shows number ${invoice.numberOnDeal}`;
    },
  },
  {
    title: 'Save the invoice PDF',
    run: async () => {
      const file = join(values.out!, `invoice-${provider}.pdf`);
      const pdf = await demo.downloadPdf();
      writeFileSync(file, pdf);
      return `${file} (${pdf.length} bytes, starts with ${pdf.subarray(0, 4).toString()})`;
    },
  },
  {
    title: `Pay the invoice in ${provider}`,
    run: async () => `payment date ${await demo.payAndWait()} is on the deal`,
  },
];

const ok = await demo.runAll(steps, (line) => process.stdout.write(`${line}\n`));
await app.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
