import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '#registrar/adapters/embedded/audit-log.ts';
import {
  type EmbeddedDatabase,
  openDatabase,
} from '#registrar/adapters/embedded/database.ts';
import type { AuditRecord } from '#registrar/ports/audit.ts';
import { temporaryDataDir } from './fixtures.ts';

describe('SqliteAuditLog', () => {
  let data: ReturnType<typeof temporaryDataDir>;
  let database: EmbeddedDatabase;
  let audit: SqliteAuditLog;

  beforeEach(() => {
    data = temporaryDataDir();
    database = openDatabase(data.dir);
    audit = new SqliteAuditLog(database);
  });

  afterEach(() => {
    database.close();
    data.remove();
  });

  it('returns the records of one AE oldest first, with every field', async () => {
    const registered: AuditRecord = {
      aei: 'Cabc',
      action: 'registered',
      at: 1000,
      actor: 'Cabc',
      requestId: 'r1',
      details: { et: '20250101T000000,000000', generation: 0, open: true },
    };
    const expired: AuditRecord = {
      aei: 'Cabc',
      action: 'expired',
      at: 1000,
      actor: 'timer',
    };
    await audit.append(registered);
    await audit.append({ aei: 'Cother', action: 'revoked', at: 5, actor: 'x' });
    await audit.append(expired);

    const records = await audit.list('Cabc');

    expect(records).toEqual([registered, expired]);
  });

  it('returns no records for an AE it never saw', async () => {
    expect(await audit.list('Cnobody')).toEqual([]);
  });
});
