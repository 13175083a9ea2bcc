import { DataSource, DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';

/**
 * Connection and migrations. Entities are not listed here: each feature registers its own with
 * `TypeOrmModule.forFeature`, and the app's root module loads them (`autoLoadEntities`).
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // JIT off: every statement here is an indexed read or a set-based write of at most ~100,000
    // rows, where compiling cost more than it saved (1.5 s of a 5 s coverage query at 100k MPPs).
    extra: { max: 20, application_name: 'mpp-monitor', options: '-c jit=off' },
  };
}

/** For the TypeORM CLI: `typeorm migration:run -d dist/src/database/data-source.js` (needs DATABASE_URL). */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/mpp_monitor'));
