import { MemoryAuditLog } from '#registrar/adapters/memory/audit-log.ts';
import { MemoryRegistrationStore } from '#registrar/adapters/memory/store.ts';
import { MemoryExpiryTimers } from '#registrar/adapters/memory/timers.ts';
import {
  describeAuditLogContract,
  describeExpiryTimersContract,
  describeRegistrationStoreContract,
} from '../../contract/index.ts';

describeRegistrationStoreContract(
  'memory',
  () => new MemoryRegistrationStore(),
);
describeAuditLogContract('memory', () => new MemoryAuditLog());
describeExpiryTimersContract('memory', () => new MemoryExpiryTimers());
