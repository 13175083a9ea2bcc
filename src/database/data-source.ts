import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 20, application_name: 'mpp-monitor' },
  };
}

/** For the TypeORM CLI: `typeorm migration:run -d dist/src/database/data-source.js` (needs DATABASE_URL). */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/mpp_monitor'));
