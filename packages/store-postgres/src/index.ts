/**
 * @samhandling/store-postgres: the PostgreSQL adapter of the messaging engine's store port, for
 * several engine instances sharing one database. Explicit named exports only.
 */

export const PACKAGE_NAME = '@samhandling/store-postgres';

export { openPostgresStore } from './postgres-store';
export type { PostgresStoreOptions } from './postgres-store';
export { POSTGRES_MIGRATIONS } from './migrations';
