import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { SqliteAuditLog } from '#registrar/adapters/embedded/audit-log.ts';
import {
  type EmbeddedDatabase,
  openDatabase,
} from '#registrar/adapters/embedded/database.ts';
import { keyFileRootKeys } from '#registrar/adapters/embedded/key-file.ts';
import { SqliteRegistrationStore } from '#registrar/adapters/embedded/sqlite-store.ts';
import { SqliteExpiryTimers } from '#registrar/adapters/embedded/timers.ts';
import {
  describeAuditLogContract,
  describeExpiryTimersContract,
  describeRegistrationStoreContract,
  describeRootKeysContract,
} from '../../contract/index.ts';

const opened: { database?: EmbeddedDatabase; dir: string }[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-contract-'));
  opened.push({ dir });
  return dir;
}

function database(): EmbeddedDatabase {
  const dir = dataDir();
  const db = openDatabase(dir);
  opened.push({ database: db, dir });
  return db;
}

afterEach(() => {
  for (const { database: db } of opened) {
    db?.close();
  }
  for (const { dir } of opened.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describeRegistrationStoreContract(
  'sqlite',
  () => new SqliteRegistrationStore(database()),
);
describeAuditLogContract('sqlite', () => new SqliteAuditLog(database()));
describeExpiryTimersContract('sqlite', () => {
  const db = database();
  return new SqliteExpiryTimers({
    database: db,
    store: new SqliteRegistrationStore(db),
  });
});
describeRootKeysContract('key file', () => keyFileRootKeys(dataDir()));
