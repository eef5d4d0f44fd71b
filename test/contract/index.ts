/**
 * The adapter contract suites: one per port whose adapters share
 * behaviour. Each takes only a name and a factory, so the same suite runs
 * against the memory and embedded adapters in `npm test`
 * (test/unit/contract) and against the AWS adapters on an emulator.
 */
export { describeAuditLogContract } from './audit-log.ts';
export {
  createRegistrarTable,
  registrarTableDefinition,
} from './aws-table.ts';
export { describeExpiryTimersContract } from './expiry-timers.ts';
export {
  describeRegistrationStoreContract,
  registrationOf,
} from './registration-store.ts';
export { describeRootKeysContract } from './root-keys.ts';
