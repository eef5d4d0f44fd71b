import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog, AuditRecord } from '#registrar/ports/audit.ts';

/** Makes an audit log with no records. */
export type AuditLogFactory = () => AuditLog | Promise<AuditLog>;

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/**
 * The behaviour every {@link AuditLog} shares, as a test suite over the
 * port alone.
 */
export function describeAuditLogContract(
  name: string,
  makeLog: AuditLogFactory,
): void {
  describe(`AuditLog contract: ${name}`, () => {
    let log: AuditLog;

    beforeEach(async () => {
      log = await makeLog();
    });

    it('lists the records of a stem oldest first, with all their fields', async () => {
      const registered: AuditRecord = {
        aei: 'Cone',
        action: 'registered',
        at: T0,
        actor: 'Cone',
        requestId: 'r1',
        details: { expiresAt: T0 + 3_600_000, rn: 'one', signed: true },
      };
      const expired: AuditRecord = {
        aei: 'Cone',
        action: 'expired',
        at: T0 + 3_600_000,
        actor: 'timer',
      };

      await log.append(registered);
      await log.append({
        aei: 'Cother',
        action: 'registered',
        at: T0,
        actor: 'x',
      });
      await log.append(expired);

      expect(await log.list('Cone')).toEqual([registered, expired]);
    });

    it('keeps records of the same millisecond in the order they were written', async () => {
      const actions = ['registered', 'updated', 'rotated', 'deleted'] as const;

      for (const action of actions) {
        await log.append({ aei: 'Cone', action, at: T0, actor: 'Cone' });
      }

      const listed = await log.list('Cone');
      expect(listed.map((record) => record.action)).toEqual([...actions]);
    });

    it('lists nothing for a stem without records', async () => {
      const listed = await log.list('Cnobody');

      expect(listed).toEqual([]);
    });
  });
}
