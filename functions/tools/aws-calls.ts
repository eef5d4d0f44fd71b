/**
 * The AWS requests each registrar operation makes, as counted by
 * test/unit/aws/call-counts.test.ts over the real adapters (which fails
 * when the code makes other calls): the input of `npm run cost`.
 */

/** The billed requests of one operation. */
export interface OperationCalls {
  /** HTTP API requests. */
  readonly apiRequests: number;
  /** Invocations of the api function (one per request). */
  readonly apiInvocations: number;
  /** Invocations of the expiry function (one per fired schedule). */
  readonly expiryInvocations: number;
  /** EventBridge Scheduler target invocations (fired schedules). */
  readonly schedulerInvocations: number;
  /** KMS requests (`GenerateMac`, symmetric pricing). */
  readonly kms: number;
  readonly dynamo: {
    /** Strongly consistent GetItem and Query calls. */
    readonly consistentReads: number;
    /** Eventually consistent GetItem and Query calls (GSIs). */
    readonly eventualReads: number;
    /** PutItem, DeleteItem and UpdateItem calls, conditions included. */
    readonly writes: number;
    /** Items written by TransactWriteItems. */
    readonly transactionItems: number;
  };
  /** Scheduler API calls: not billed, listed for completeness. */
  readonly schedules: {
    readonly create: number;
    readonly update: number;
    readonly delete: number;
  };
}

/** The operations the cost section prices. */
export type Operation =
  | 'register'
  | 'retrieve'
  | 'retrieveWarm'
  | 'update'
  | 'delete'
  | 'rotate'
  | 'expiry';

const none = { create: 0, update: 0, delete: 0 };

/** One request through the API: one api function invocation. */
const request = {
  apiRequests: 1,
  apiInvocations: 1,
  expiryInvocations: 0,
  schedulerInvocations: 0,
};

/**
 * The counts, signed mode (the default). "Cold" means the Lambda
 * environment has no derived key cached (the worst case: a fresh instance,
 * or more than 5 minutes since the key was last used); `retrieveWarm` is a
 * retrieve whose registration secret is cached.
 *
 * - register: enrollment and failure-counter reads, stem and name reads;
 *   the claim of both in one transaction (2 items); nonce and audit puts;
 *   GenerateMac for Km and Ks; CreateSchedule.
 * - retrieve: failure-counter (lockout) read, the record twice (signature
 *   check and procedure); nonce put; GenerateMac for Ks when cold.
 * - update (renewing `et`): as retrieve plus the name claim read, the
 *   record and claim replaced in one transaction, the audit put; the
 *   schedule moved (CreateSchedule, then UpdateSchedule on its conflict).
 * - delete: as retrieve plus the claim read and one more record read, both
 *   deleted in one transaction, the audit put, DeleteSchedule.
 * - rotate: the record read, the new generation written with its claim in
 *   one transaction, nonce and audit puts; GenerateMac for the old and the
 *   new Ks.
 * - expiry (a fired schedule): the record read twice, record and claim
 *   deleted in one transaction, the audit put, DeleteSchedule.
 */
export const AWS_CALLS: Readonly<Record<Operation, OperationCalls>> = {
  register: {
    ...request,
    kms: 2,
    dynamo: {
      consistentReads: 4,
      eventualReads: 0,
      writes: 2,
      transactionItems: 2,
    },
    schedules: { ...none, create: 1 },
  },
  retrieve: {
    ...request,
    kms: 1,
    dynamo: {
      consistentReads: 3,
      eventualReads: 0,
      writes: 1,
      transactionItems: 0,
    },
    schedules: none,
  },
  retrieveWarm: {
    ...request,
    kms: 0,
    dynamo: {
      consistentReads: 3,
      eventualReads: 0,
      writes: 1,
      transactionItems: 0,
    },
    schedules: none,
  },
  update: {
    ...request,
    kms: 1,
    dynamo: {
      consistentReads: 4,
      eventualReads: 0,
      writes: 2,
      transactionItems: 2,
    },
    schedules: { ...none, create: 1, update: 1 },
  },
  delete: {
    ...request,
    kms: 1,
    dynamo: {
      consistentReads: 5,
      eventualReads: 0,
      writes: 2,
      transactionItems: 2,
    },
    schedules: { ...none, delete: 1 },
  },
  rotate: {
    ...request,
    kms: 2,
    dynamo: {
      consistentReads: 2,
      eventualReads: 0,
      writes: 2,
      transactionItems: 2,
    },
    schedules: none,
  },
  expiry: {
    apiRequests: 0,
    apiInvocations: 0,
    expiryInvocations: 1,
    schedulerInvocations: 1,
    kms: 0,
    dynamo: {
      consistentReads: 2,
      eventualReads: 0,
      writes: 1,
      transactionItems: 2,
    },
    schedules: { ...none, delete: 1 },
  },
};
