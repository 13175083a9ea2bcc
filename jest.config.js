const fs = require('node:fs');
const path = require('node:path');
// Jest cannot require() the ESM-only @nestjs/* packages on Node 20, so both our TypeScript and
// node_modules/@nestjs are compiled to CommonJS with @swc/jest (see STACK.md).
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax },
      transform: syntax === 'typescript' ? { legacyDecorator: true, decoratorMetadata: true } : undefined,
      target: 'es2023',
    },
    module: { type: 'commonjs' },
  },
];
// Many current packages are ESM-only ("type": "module"), which Jest's CommonJS runtime cannot
// require on Node 20: find them once and let swc compile them too.
const esmPackages = (() => {
  const root = path.join(__dirname, 'node_modules');
  const names = [];
  for (const entry of fs.readdirSync(root)) {
    const dirs = entry.startsWith('@') ? fs.readdirSync(path.join(root, entry)).map((d) => `${entry}/${d}`) : [entry];
    for (const name of dirs) {
      try {
        if (JSON.parse(fs.readFileSync(path.join(root, name, 'package.json'), 'utf8')).type === 'module') names.push(name);
      } catch {
        /* not a package */
      }
    }
  }
  // CommonJS packages that load an ESM dependency with import(), which Jest's runtime cannot run.
  names.push('@fastify/cookie');
  return names.map((n) => n.replace(/[.+]/g, '\\$&'));
})();
const common = {
  transform: { '^.+\\.ts$': swc('typescript'), '^.+\\.js$': swc('ecmascript') },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  testTimeout: 60000,
  // Suites wait on PostgreSQL, Redis, SMTP and child processes more than on the CPU: two at once fit 2 cores.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
