import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requiredScopes } from '../server/src/hubspot/oauth';
import { propertyOf } from '../server/src/sync/hubspot-mapping';
import { API_ORIGIN } from '@apiup/ui-shared/origin';
import { checkProject, type ProjectNode } from './check-project';

const repoRoot = path.resolve(__dirname, '..');
const temps: string[] = [];

/** A copy of the project in a temp folder that a test may break. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiup-hsproject-'));
  temps.push(dir);
  fs.copyFileSync(path.join(repoRoot, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  fs.cpSync(path.join(repoRoot, 'hubspot-project'), path.join(dir, 'hubspot-project'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  return dir;
}

function edit(dir: string, file: string, change: (json: Record<string, any>) => void) {
  const full = path.join(dir, 'hubspot-project', file);
  const json = JSON.parse(fs.readFileSync(full, 'utf8'));
  change(json);
  fs.writeFileSync(full, JSON.stringify(json));
}

const node = (nodes: ProjectNode[], type: string) => nodes.find((n) => n.type === type)!;

/** The folder and version of @hubspot/project-parsing-lib as Node resolves it from `fromFile`. */
function parserSeenFrom(fromFile: string): { dir: string; version: string } {
  // The package exports no ./package.json, so resolve an exported entry and walk up to its root.
  let dir = path.dirname(createRequire(fromFile).resolve('@hubspot/project-parsing-lib/projects'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return { dir: fs.realpathSync(dir), version: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version };
}

afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('HubSpot project configuration', () => {
  it('is checked with the very parser the pinned HubSpot CLI loads', () => {
    const cliPackage = createRequire(__filename).resolve('@hubspot/cli/package.json');
    const cli = JSON.parse(fs.readFileSync(cliPackage, 'utf8'));
    const ours = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(ours.devDependencies['@hubspot/cli']).toBe(cli.version);
    const usedByCli = parserSeenFrom(path.join(path.dirname(cliPackage), 'commands/project/validate.js'));
    const usedByCheck = parserSeenFrom(path.join(__dirname, 'check-project.ts'));
    expect(usedByCheck).toEqual(usedByCli);
    expect(usedByCli.version).toBe(cli.dependencies['@hubspot/project-parsing-lib']);
    expect(ours.devDependencies['@hubspot/project-parsing-lib']).toBe(usedByCli.version);
  });

  it.each(['prod', 'dev'])('parses without problems with the %s profile', async (profile) => {
    const { problems, nodes } = await checkProject(repoRoot, profile);
    expect(problems).toEqual([]);
    expect(nodes.map((n) => `${n.type}:${n.uid}`).sort()).toEqual([
      'app:apiup_app',
      'card:apiup_company_sync_card',
      'card:apiup_contact_sync_card',
      'card:apiup_deal_invoice_card',
      'settings:apiup_settings',
      'webhooks:apiup_webhooks',
      'workflow-action:apiup_create_document_action',
    ]);
  });

  it('asks for exactly the scopes the backend requests at install', async () => {
    const { nodes } = await checkProject(repoRoot, 'prod');
    const auth = node(nodes, 'app').config.auth as { requiredScopes: string[] };
    expect(auth.requiredScopes).toEqual([...requiredScopes]);
  });

  it('points redirect, fetch and webhooks at the profile backend, and the UI fallback at production', async () => {
    const prod = await checkProject(repoRoot, 'prod');
    const dev = await checkProject(repoRoot, 'dev');
    const app = node(prod.nodes, 'app').config as { auth: { redirectUrls: string[] }; permittedUrls: { fetch: string[] } };
    expect(app.permittedUrls.fetch).toEqual([API_ORIGIN]);
    expect(app.auth.redirectUrls).toEqual([`${API_ORIGIN}/oauth/callback`]);
    expect((node(prod.nodes, 'webhooks').config.settings as { targetUrl: string }).targetUrl).toBe(`${API_ORIGIN}/webhooks/hubspot`);
    expect((node(dev.nodes, 'app').config.permittedUrls as { fetch: string[] }).fetch).toEqual(['https://dev.apiup.app']);
  });

  it('subscribes to deal stage, contact and company changes, all active', async () => {
    const { nodes } = await checkProject(repoRoot, 'prod');
    const subs = node(nodes, 'webhooks').config.subscriptions as Record<
      string,
      Array<{ subscriptionType: string; propertyName?: string; objectType?: string; active: boolean }>
    >;
    const all = Object.values(subs).flat();
    const names = all.map((s) => [s.objectType, s.subscriptionType, s.propertyName].filter(Boolean).join(':'));
    expect(names).toContain('deal.propertyChange:dealstage');
    // Every HubSpot property the sync reads is watched, on contacts and companies alike, and nothing else.
    for (const type of ['contact', 'company'] as const) {
      const watched = names.filter((n) => n.startsWith(`${type}.propertyChange:`)).map((n) => n.split(':')[1]);
      expect(watched.sort()).toEqual(Object.values(propertyOf[type]).sort());
    }
    expect(propertyOf.company.vatId).toBe('apiup_vat_id');
    for (const o of ['contact', 'company']) for (const e of ['creation', 'deletion', 'merge', 'restore']) expect(names).toContain(`${o}.${e}`);
    expect(names).toContain('quote:object.propertyChange:hs_status');
    // A GDPR deletion has no generic form: it is a hub event (hubspot.md §1.7), routed to sync.privacy-deletion.
    expect((subs.hubEvents ?? []).map((s) => s.subscriptionType)).toEqual(['contact.privacyDeletion']);
    expect(all.every((s) => s.active)).toBe(true);
  });
});

describe('the workflow action "create invoice / quote"', () => {
  it('is declared for deals, calls the backend route of the profile, and asks for invoice or quote', async () => {
    const prod = await checkProject(repoRoot, 'prod');
    const action = node(prod.nodes, 'workflow-action').config as {
      actionUrl: string;
      objectTypes: string[];
      supportedClients: Array<{ client: string }>;
      inputFields: Array<{ typeDefinition: { name: string; options?: Array<{ value: string }> }; isRequired?: boolean }>;
      outputFields: Array<{ typeDefinition: { name: string } }>;
      labels: Record<string, { actionName: string }>;
    };
    expect(action.actionUrl).toBe(`${API_ORIGIN}/hubspot/workflow-actions/create-document`);
    expect(action.objectTypes).toEqual(['DEAL']);
    expect(action.supportedClients).toEqual([{ client: 'WORKFLOWS' }]);
    expect(action.inputFields.map((f) => [f.typeDefinition.name, f.isRequired, f.typeDefinition.options?.map((o) => o.value)])).toEqual([
      ['document_type', true, ['invoice', 'quote']],
    ]);
    expect(action.outputFields.map((f) => f.typeDefinition.name)).toEqual(['document_number', 'document_status', 'failure_reason']);
    expect(Object.keys(action.labels).sort()).toEqual(['de', 'en']);
    expect(action.labels.de.actionName).toContain('Rechnung');
    const dev = await checkProject(repoRoot, 'dev');
    expect((node(dev.nodes, 'workflow-action').config as { actionUrl: string }).actionUrl).toBe(
      'https://dev.apiup.app/hubspot/workflow-actions/create-document',
    );
  });
});

describe('the project check fails on a broken configuration', () => {
  it.each<[string, (dir: string) => void, RegExp]>([
    [
      'invalid JSON in a card',
      (d) => fs.writeFileSync(path.join(d, 'hubspot-project/app/cards/deal-invoice-card-hsmeta.json'), '{ "uid": '),
      /deal-invoice-card-hsmeta\.json: the parser produced no component/,
    ],
    [
      'a profile without the backend variable',
      (d) => fs.writeFileSync(path.join(d, 'hubspot-project/hsprofile.prod.json'), JSON.stringify({ accountId: 1, variables: {} })),
      /BACKEND_ORIGIN/,
    ],
    [
      'two components with one uid',
      (d) => edit(d, 'app/cards/contact-sync-card-hsmeta.json', (j) => (j.uid = 'apiup_deal_invoice_card')),
      /Duplicate uid 'apiup_deal_invoice_card'/,
    ],
    [
      'a second settings page',
      (d) => fs.copyFileSync(path.join(d, 'hubspot-project/app/settings/settings-hsmeta.json'), path.join(d, 'hubspot-project/app/settings/other-hsmeta.json')),
      /settings: only 1 allowed, found 2/,
    ],
    ['an unexpected top-level field', (d) => edit(d, 'app/webhooks/webhooks-hsmeta.json', (j) => (j.name = 'x')), /unexpected top-level fields name/],
    ['an invalid uid', (d) => edit(d, 'app/cards/deal-invoice-card-hsmeta.json', (j) => (j.uid = 'deal card!')), /deal-invoice-card-hsmeta\.json: .*uid/i],
    [
      'a card in the settings folder',
      (d) =>
        fs.renameSync(
          path.join(d, 'hubspot-project/app/cards/deal-invoice-card-hsmeta.json'),
          path.join(d, 'hubspot-project/app/settings/deal-invoice-card-hsmeta.json'),
        ),
      /a card belongs in app\/cards/,
    ],
    [
      'a missing entrypoint',
      (d) => fs.rmSync(path.join(d, 'hubspot-project/app/cards/DealInvoiceCard.tsx')),
      /entrypoint \/app\/cards\/DealInvoiceCard\.tsx does not exist/,
    ],
    [
      'an http fetch URL',
      (d) =>
        fs.writeFileSync(
          path.join(d, 'hubspot-project/hsprofile.prod.json'),
          JSON.stringify({ accountId: 1, variables: { BACKEND_ORIGIN: 'http://localhost:3000' } }),
        ),
      /must be an https origin/,
    ],
    [
      'an inactive subscription',
      (d) => edit(d, 'app/webhooks/webhooks-hsmeta.json', (j) => (j.config.subscriptions.legacyCrmObjects[0].active = false)),
      /deal\.propertyChange dealstage is not active/,
    ],
    [
      'an unknown platform version',
      (d) => fs.writeFileSync(path.join(d, 'hsproject.json'), JSON.stringify({ name: 'apiup', srcDir: 'hubspot-project', platformVersion: '2019.1' })),
      /platform ?version/i,
    ],
    [
      'a workflow action without a German output label',
      (d) => edit(d, 'app/workflow-actions/create-document-hsmeta.json', (j) => delete j.config.labels.de.outputFieldLabels.document_number),
      /labels\.de\.outputFieldLabels has no label for document_number/,
    ],
    [
      'a workflow action for no object type',
      (d) => edit(d, 'app/workflow-actions/create-document-hsmeta.json', (j) => (j.config.objectTypes = [])),
      /objectTypes is empty/,
    ],
    [
      'a workflow action in the cards folder',
      (d) =>
        fs.renameSync(
          path.join(d, 'hubspot-project/app/workflow-actions/create-document-hsmeta.json'),
          path.join(d, 'hubspot-project/app/cards/create-document-hsmeta.json'),
        ),
      /a workflow-action belongs in app\/workflow-actions/,
    ],
    [
      'a profile without an account id',
      (d) => fs.writeFileSync(path.join(d, 'hubspot-project/hsprofile.prod.json'), JSON.stringify({ variables: { BACKEND_ORIGIN: 'https://api.apiup.app' } })),
      /hsprofile\.prod\.json: accountId missing/,
    ],
    [
      'a profile variable that is not a string, number or boolean',
      (d) =>
        fs.writeFileSync(
          path.join(d, 'hubspot-project/hsprofile.prod.json'),
          JSON.stringify({ accountId: 1, variables: { BACKEND_ORIGIN: 'https://api.apiup.app', REGION: ['eu'] } }),
        ),
      /REGION/,
    ],
    ['no app component', (d) => fs.rmSync(path.join(d, 'hubspot-project/app/app-hsmeta.json')), /no app component/],
  ])('reports %s', async (_name, breakIt, expected) => {
    const dir = copyProject();
    breakIt(dir);
    const { problems } = await checkProject(dir, 'prod');
    expect(problems.join('\n')).toMatch(expected);
  });

  it('passes the untouched copy (the breakage above is what fails)', async () => {
    expect((await checkProject(copyProject(), 'prod')).problems).toEqual([]);
  });
});
