// Import rules for packages/*/src, checked by `npm run check:deps` (docs/contributing.md).
// Each package is cruised on its own terms: other @faust packages are imported by name and
// resolve through node_modules, where the cruise stops, so a cycle is always inside one package
// (a cycle between packages is already refused by tsc's project references).

// The backend's folders from the bottom up: a folder imports only from itself and folders below.
// index.ts sits on top and nothing imports it.
const backendLayers = ['util', 'definition', 'store', 'providers', 'link', 'services', 'run']
// The same inside services/. Files directly in services/ are above all its subfolders.
const serviceLayers = ['context', 'quality', 'registration', 'runners', 'procedures']

const backend = '^packages/backend/src/'
// Folders of test fixtures: used only by tests (rule test-support-only-in-tests), in no layer.
const TEST_SUPPORT = '/test-support/'
const services = `${backend}services/`

/** Rules that keep each folder in `layers` (under `root`) off the folders above it. */
function layerRules(name, root, layers) {
  return layers.map((layer, index) => ({
    name: `${name}-${layer}`,
    severity: 'error',
    comment: `${root}${layer}/ may import only from ${layers.slice(0, index + 1).join(', ')} (issue 10's layers).`,
    from: { path: `${root}${layer}/` },
    // Test fixtures (test-support/) are outside the layers; tests may use them from anywhere.
    to: {
      path: root,
      pathNot: [`${root}(${layers.slice(0, index + 1).join('|')})/`, TEST_SUPPORT],
    },
  }))
}

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-file-cycle',
      severity: 'error',
      comment: 'A file may not reach itself through its imports, type-only imports included.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'A folder may not reach itself through the imports of its files.',
      scope: 'folder',
      from: { path: '^packages/[^/]+/src' },
      to: { circular: true },
    },
    {
      name: 'test-support-only-in-tests',
      severity: 'error',
      comment: 'Test fixtures (test-support/) are imported only by tests and other fixtures.',
      from: { path: '^packages/[^/]+/src/', pathNot: ['\\.test(-d)?\\.tsx?$', TEST_SUPPORT] },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'no-relative-import-across-packages',
      severity: 'error',
      comment: 'Import another package by its name (@faust/...), never by a relative path.',
      from: { path: '^packages/([^/]+)/' },
      to: { dependencyTypes: ['local'], pathNot: '^packages/$1/' },
    },
    {
      name: 'backend-folder-outside-layers',
      severity: 'error',
      comment: `Every folder of packages/backend/src is one of the layers ${backendLayers.join(' < ')}.`,
      from: {
        path: `${backend}(?!(${backendLayers.join('|')})/)[^/]+/`,
        pathNot: TEST_SUPPORT,
      },
      to: {},
    },
    ...layerRules('backend-layer', backend, backendLayers),
    {
      name: 'services-folder-outside-layers',
      severity: 'error',
      comment: `Every folder of services/ is one of ${serviceLayers.join(' < ')}.`,
      from: {
        path: `${services}(?!(${serviceLayers.join('|')})/)[^/]+/`,
        pathNot: TEST_SUPPORT,
      },
      to: {},
    },
    ...layerRules('services-layer', services, serviceLayers),
    {
      name: 'console-not-above-its-layer',
      severity: 'error',
      comment:
        '@faust/console (issue 14) sits beside the CLI: it may use the backend and the protocol, never the CLI or the router.',
      from: { path: '^packages/console/' },
      to: { path: '^node_modules/@faust/(cli|router)/' },
    },
    {
      name: 'console-model-below-server',
      severity: 'error',
      comment: "The console's model (queries over the store) knows nothing of HTTP.",
      from: { path: '^packages/console/src/model/' },
      to: { path: '^packages/console/src/server/' },
    },
  ],
  options: {
    // The CLI and the router by their package entry too, so that a rule can forbid them
    // (console-not-above-its-layer); never followed into.
    includeOnly: ['^packages/[^/]+/src/', '^node_modules/@faust/(cli|router)/'],
    doNotFollow: { path: '^node_modules/' },
    // `import type` and type-only re-exports count: a cycle of types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // @faust/* resolve through the workspace symlinks in node_modules and stay there,
    // outside includeOnly, instead of pulling the other package's sources into this graph.
    preserveSymlinks: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
    moduleSystems: ['es6'],
  },
}
