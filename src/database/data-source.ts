import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { typeOrmOptions } from './typeorm-options';

/** For the TypeORM CLI (`npm run migration:*`): the same options as the application. */
const config = loadConfig();
if (!config.database.url) {
  throw new Error('DATABASE_URL is required for the migration CLI (npm start runs migrations itself on the embedded database)');
}
export default new DataSource(typeOrmOptions(config.database.url, 2));
