/**
 * The layering rules that must never break, checked in `npm test` (`npm run deps:check`).
 * Each rule says why it exists; docs/architecture.md explains the layers.
 */
const productFolders = '^server/src/(accounting|money|invoicing|sync|hubspot|jobs|billing|settings|http|db|crypto|lib)/';

module.exports = {
  forbidden: [
    {
      name: 'sandbox-is-a-witness',
      comment:
        'An emulator is written from the vendor\'s documentation and recorded answers. It imports nothing of ' +
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
        'Invoicing, sync, billing, money, jobs and HTTP talk to the AccountingProvider contract; vendor folders are ' +
        'reached only through the registry.',
      severity: 'error',
      from: { path: '^server/src/(invoicing|sync|billing|money|jobs|http|settings)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/src/accounting/(lexoffice|sevdesk|bexio|qonto)/' },
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

