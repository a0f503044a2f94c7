// The layering of the monorepo, checked by `pnpm check:layers` (dependency-cruiser) in CI.
// docs/architecture.md explains the layers; every rule below names the one it keeps.
//
// Workspace packages are resolved the way their users resolve them (node_modules, package
// exports, built dist/), so run it after `pnpm build`. Paths are matched after resolution, so
// `@handoff/core` is seen as packages/core/dist/... and a relative reach into another package's
// sources as packages/<other>/src/....

/** Files that only tests run: they may use dev dependencies (the kit, other adapters). */
const testCode = '(/examples/|\\.test\\.ts$|\\.soak\\.ts$|/test/|/__fixtures__/)';

/** Servers and storage engines: the runtime and the storage packages choose them, nobody else. */
const serversAndEngines = 'node_modules/(fastify|better-sqlite3|ioredis|pg|express)/';

/** Packages that are machinery, not a support system's adapter. */
const machinery = 'core|http|fake-server|conformance|storage-[^/]+';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycles anywhere, inside a package or across packages.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-stands-alone',
      comment: '@handoff/core imports no other workspace package: no adapter, no server, no storage engine.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: ['^packages/(?!core/)', '^apps/'] },
    },
    {
      name: 'core-is-framework-free',
      comment: '@handoff/core uses no server, storage engine or HTTP client: hosts bring those.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: [serversAndEngines, 'node_modules/undici/'] },
    },
    {
      name: 'adapters-import-core-http-fake-server',
      comment: 'An adapter (and its published testing entry) imports core, http and fake-server only.',
      severity: 'error',
      from: { path: `^packages/(?!(?:${machinery})/)([^/]+)/`, pathNot: testCode },
      to: { path: ['^packages/(?!(?:core|http|fake-server)/)', '^apps/'], pathNot: '^packages/$1/' },
    },
    {
      name: 'adapters-use-no-server-or-engine',
      comment: 'Adapters speak HTTP through @handoff/http; they never start a server or open a database.',
      severity: 'error',
      from: { path: `^packages/(?!(?:${machinery})/)[^/]+/`, pathNot: testCode },
      to: { path: serversAndEngines },
    },
    {
      name: 'storage-imports-core-only',
      comment: 'A storage package implements core ports with its engine and imports core only.',
      severity: 'error',
      from: { path: '^packages/(storage-[^/]+)/', pathNot: testCode },
      to: { path: ['^packages/(?!core/)', '^apps/'], pathNot: '^packages/$1/' },
    },
    {
      name: 'http-imports-core-only',
      comment: '@handoff/http is shared client plumbing for adapters: core only.',
      severity: 'error',
      from: { path: '^packages/http/', pathNot: testCode },
      to: { path: ['^packages/(?!(core|http)/)', '^apps/'] },
    },
    {
      name: 'fake-server-imports-core-and-http-only',
      comment: '@handoff/fake-server is generic: it knows no vendor and no storage.',
      severity: 'error',
      from: { path: '^packages/fake-server/', pathNot: testCode },
      to: { path: ['^packages/(?!(core|http|fake-server)/)', '^apps/', serversAndEngines] },
    },
    {
      name: 'kit-knows-no-adapter',
      comment: '@handoff/conformance tests adapters through the contract; it imports no adapter.',
      severity: 'error',
      from: { path: '^packages/conformance/', pathNot: testCode },
      to: { path: ['^packages/(?!(core|http|fake-server|conformance)/)', '^apps/'] },
    },
    {
      name: 'packages-never-import-apps',
      comment: 'Nothing published depends on the runtime.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'through-the-front-door',
      comment: 'Reach another package through its published entry (@handoff/x), never into its sources.',
      severity: 'error',
      from: { path: '^(packages|apps)/([^/]+)/' },
      to: { path: '^(packages|apps)/[^/]+/src/', pathNot: '^(packages|apps)/$2/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves (run `pnpm build` first: packages are resolved through their builds).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    exclude: { path: '/web/public/' },
    doNotFollow: { path: ['node_modules', '/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
