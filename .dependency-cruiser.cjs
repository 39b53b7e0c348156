/**
 * The layering rules that must never break, checked in `npm test` (`npm run deps:check`).
 * Each rule says why it exists; docs/architecture.md explains the layers.
 */
const productFolders = '^server/src/(accounting|money|invoicing|sync|hubspot|jobs|billing|settings|http|db|crypto|lib)/';

/**
 * The layers of server/src, lowest first. A folder (or top-level file) may import its own layer and the
 * layers below, never one above (rule `no-upward-import`); type-only imports count too.
 *
 *   lib, errors.ts, logger.ts     leaves: no product imports (lib/errors.ts holds the job and outside-service errors)
 *   crypto                        secrets at rest
 *   db, storage-health.ts         schema, client, the portal row
 *   money                         decimal arithmetic
 *   accounting, hubspot           adapters of the outside services (never each other)
 *   billing                       packages and Stripe
 *   sync                          contact and company sync
 *   invoicing                     the invoice run (uses the sync's matching rules)
 *   settings                      the per-portal store of the domains' rules
 *   jobs                          queue, worker, job definitions and the webhook routes that enqueue them
 *   http                          express routes and middleware
 *   config.ts, metrics.ts, app.ts, services.ts, sandbox-mode.ts, runtime.ts, main.ts
 *                                 composition: read the environment and the registries, build everything
 */
const layers = [
  ['lib', 'errors\\.ts', 'logger\\.ts'],
  ['crypto'],
  ['db', 'storage-health\\.ts'],
  ['money'],
  ['accounting', 'hubspot'],
  ['billing'],
  ['sync'],
  ['invoicing'],
  ['settings'],
  ['jobs'],
  ['http'],
  ['config\\.ts', 'metrics\\.ts', 'app\\.ts', 'services\\.ts', 'sandbox-mode\\.ts', 'runtime\\.ts', 'main\\.ts'],
];
const layerPath = (names) => `^server/src/(${names.join('|')})($|/)`;
const upwardImportRules = layers.slice(0, -1).map((names, index) => ({
  name: 'no-upward-import',
  comment:
    `Layer ${index + 1} (${names.join(', ').replace(/\\/g, '')}) imports only its own layer and those below it; ` +
    'an upward import makes two folders depend on each other (see the layer list in .dependency-cruiser.cjs and docs/architecture.md).',
  severity: 'error',
  from: { path: layerPath(names), pathNot: '\\.test\\.ts$' },
  to: { path: layerPath(layers.slice(index + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: 'sandbox-is-a-witness',
      comment:
        "An emulator is written from the vendor's documentation and recorded answers. It imports nothing of " +
        'the product (no totals, schemas, signers, date formatters, config or logger of ours), only other sandbox ' +
        'files and libraries, so that our client and our sandbox are two independent implementations.',
      severity: 'error',
      from: { path: '^server/src/sandboxes/' },
      to: { path: '^server/src/', pathNot: '^server/src/sandboxes/' },
    },
    {
      name: 'product-never-reaches-into-a-sandbox',
      comment:
        'Product code talks to a sandbox only over HTTP, through a configurable base URL, exactly as to the real ' +
        'service. Only the sandbox-mode composition (runtime) starts them.',
      severity: 'error',
      from: { path: productFolders, pathNot: '\\.test\\.ts$' },
      to: { path: '^server/src/sandboxes/' },
    },
    {
      name: 'domain-never-names-a-vendor',
      comment:
        'Invoicing, sync, billing, money, jobs and HTTP talk to the AccountingProvider contract; vendor folders are ' + 'reached only through the registry.',
      severity: 'error',
      from: { path: '^server/src/(invoicing|sync|billing|money|jobs|http|settings)/', pathNot: '\\.test\\.ts$' },
      // Every folder under accounting/ is a vendor's, so a new vendor is covered without naming it here.
      to: { path: '^server/src/accounting/[^/]+/' },
    },
    {
      name: 'vendors-never-import-each-other',
      comment: 'A vendor folder depends on the contract and shared helpers, never on another vendor.',
      severity: 'error',
      from: { path: '^server/src/accounting/([a-z]+)/' },
      to: { path: '^server/src/accounting/([a-z]+)/', pathNot: '^server/src/accounting/$1/' },
    },
    {
      name: 'production-never-imports-tests',
      comment: 'Test helpers and test files stay out of the product.',
      severity: 'error',
      from: { path: '^server/src/', pathNot: '\\.test\\.ts$' },
      to: { path: '(^server/test/|\\.test\\.ts$)' },
    },
    ...upwardImportRules,
    {
      name: 'adapters-never-import-each-other',
      comment: 'accounting/ and hubspot/ share a layer but not code: what both need (rate limiter, errors) lives in lib/.',
      severity: 'error',
      from: { path: '^server/src/(accounting|hubspot)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/src/(accounting|hubspot)/', pathNot: '^server/src/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'Run-time import cycles between files make start-up order and mocking fragile (type-only imports are fine).',
      severity: 'error',
      from: { path: '^server/src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
