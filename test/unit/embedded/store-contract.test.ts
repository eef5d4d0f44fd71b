import { afterEach } from 'vitest';
import { openDatabase } from '#registrar/adapters/embedded/database.ts';
import { SqliteRegistrationStore } from '#registrar/adapters/embedded/sqlite-store.ts';
import { MemoryRegistrationStore } from '#registrar/adapters/memory/store.ts';
import { temporaryDataDir } from './fixtures.ts';
import { describeRegistrationStoreContract } from './store-contract.ts';

const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) {
    cleanup();
  }
});

describeRegistrationStoreContract('SqliteRegistrationStore', () => {
  const data = temporaryDataDir();
  const database = openDatabase(data.dir);
  cleanups.push(() => {
    database.close();
    data.remove();
  });
  return new SqliteRegistrationStore(database);
});

describeRegistrationStoreContract(
  'MemoryRegistrationStore',
  () => new MemoryRegistrationStore(),
);
