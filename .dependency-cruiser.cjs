/**
 * Who may import whom (docs/architecture.md). `npm run lint` fails on any violation.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-no-feature',
      comment: 'common/ and config/ are the shared kernel: they know no feature.',
      severity: 'error',
      from: { path: '^src/(common|config)/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'migrations-are-snapshots',
      comment: 'A migration holds literal values: importing live code would change its meaning later.',
      severity: 'error',
      from: { path: '^src/database/migrations/' },
      to: { path: '^src/(modules|common|config)/' },
    },
    {
      name: 'database-knows-no-feature',
      comment: 'The database layer (connection, migrations, embedded server) knows no feature.',
      severity: 'error',
      from: { path: '^src/database/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'reports-do-not-import-notifications',
      comment: 'Notifications read reports (the digest), never the other way round.',
      severity: 'error',
      from: { path: '^src/modules/reports/' },
      to: { path: '^src/modules/notifications/' },
    },
    {
      name: 'no-domain-imports-pages',
      comment: 'Pages are a thin layer over the features; no feature depends on them.',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: '^src/modules/pages/' },
      to: { path: '^src/modules/pages/' },
    },
    {
      name: 'src-imports-no-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular-kernel',
      comment: 'Cycles inside the kernel make it impossible to read in isolation.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { circular: true, path: '^src/common/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
