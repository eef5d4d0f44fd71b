/**
 * `npm run cost`: what the registrar costs on AWS per million operations,
 * from the AWS calls counted per operation (aws-calls.ts) and public list
 * prices, printed as the README's cost section (Markdown).
 *
 * Options: `--api-ms N`, `--expiry-ms N` (billed duration per invocation),
 * `--memory-mb N` (both functions), `--json`.
 */
import { parseArgs } from 'node:util';
import { AWS_CALLS, type Operation, type OperationCalls } from './aws-calls.ts';

/**
 * List prices in US dollars, us-east-1, as the project notes recorded them
 * when checked in late 2026 (shared/aws.md); free tiers are left out.
 */
export const PRICES = {
  region: 'us-east-1',
  checked: 'late 2026',
  /** Symmetric requests, GenerateMac included: $0.03 per 10,000. */
  kmsRequest: 0.03 / 10_000,
  /** On-demand write request unit: $0.625 per million. */
  dynamoWriteUnit: 0.625 / 1_000_000,
  /** On-demand read request unit: $0.125 per million. */
  dynamoReadUnit: 0.125 / 1_000_000,
  /** Scheduler target invocations: $1.00 per million (API calls free). */
  schedulerInvocation: 1 / 1_000_000,
  /** Lambda requests: $0.20 per million. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda duration on arm64, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** HTTP API requests: $1.00 per million (first 300 million a month). */
  httpApiRequest: 1 / 1_000_000,
} as const;

/** What is assumed rather than counted. */
export interface CostAssumptions {
  /** Memory of both functions (RegistrarFunction's default), MB. */
  readonly memoryMb: number;
  /** Billed duration of one api function invocation, ms. */
  readonly apiMs: number;
  /** Billed duration of one expiry function invocation, ms. */
  readonly expiryMs: number;
}

/**
 * Stated, not measured on AWS: a warm invocation spends its time waiting
 * on about ten DynamoDB and KMS round trips of a few milliseconds each.
 */
export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  memoryMb: 512,
  apiMs: 60,
  expiryMs: 30,
};

/** The billed quantities of some operations, by service. */
export interface Usage {
  readonly httpApiRequests: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly kmsRequests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly schedulerInvocations: number;
}

/**
 * The billed quantities of one operation. Items are under 1 KB (writes)
 * and 4 KB (reads), as the call-count test checks: a write is one unit, a
 * transactional write two per item, a strongly consistent read one unit,
 * an eventually consistent one half.
 */
export function usageOf(
  calls: OperationCalls,
  assumptions: CostAssumptions,
): Usage {
  const gb = assumptions.memoryMb / 1024;
  const { dynamo } = calls;
  return {
    httpApiRequests: calls.apiRequests,
    lambdaRequests: calls.apiInvocations + calls.expiryInvocations,
    lambdaGbSeconds:
      gb *
      ((calls.apiInvocations * assumptions.apiMs +
        calls.expiryInvocations * assumptions.expiryMs) /
        1000),
    kmsRequests: calls.kms,
    readUnits: dynamo.consistentReads + dynamo.eventualReads / 2,
    writeUnits: dynamo.writes + 2 * dynamo.transactionItems,
    schedulerInvocations: calls.schedulerInvocations,
  };
}

/** Adds usages up. */
export function sum(...usages: readonly Usage[]): Usage {
  const total: Record<keyof Usage, number> = {
    httpApiRequests: 0,
    lambdaRequests: 0,
    lambdaGbSeconds: 0,
    kmsRequests: 0,
    readUnits: 0,
    writeUnits: 0,
    schedulerInvocations: 0,
  };
  for (const usage of usages) {
    for (const key of Object.keys(total) as (keyof Usage)[]) {
      total[key] += usage[key];
    }
  }
  return total;
}

/** Each service's price per unit of {@link Usage}. */
const unitPrices: Readonly<Record<keyof Usage, number>> = {
  httpApiRequests: PRICES.httpApiRequest,
  lambdaRequests: PRICES.lambdaRequest,
  lambdaGbSeconds: PRICES.lambdaGbSecond,
  kmsRequests: PRICES.kmsRequest,
  readUnits: PRICES.dynamoReadUnit,
  writeUnits: PRICES.dynamoWriteUnit,
  schedulerInvocations: PRICES.schedulerInvocation,
};

/** US dollars per million of the operations whose usage is `usage`. */
export function costPerMillion(usage: Usage): number {
  let dollars = 0;
  for (const key of Object.keys(unitPrices) as (keyof Usage)[]) {
    dollars += usage[key] * unitPrices[key] * 1_000_000;
  }
  return dollars;
}

const rowLabels: Readonly<Record<keyof Usage, [string, string]>> = {
  httpApiRequests: ['HTTP API requests', '$1.00 per million'],
  lambdaRequests: ['Lambda requests', '$0.20 per million'],
  lambdaGbSeconds: ['Lambda GB-seconds', '$0.0000133334 per GB-s'],
  kmsRequests: ['KMS requests', '$0.03 per 10,000'],
  readUnits: ['DynamoDB read request units', '$0.125 per million'],
  writeUnits: ['DynamoDB write request units', '$0.625 per million'],
  schedulerInvocations: ['Scheduler invocations', '$1.00 per million'],
};

const operationLabels: Readonly<Record<Operation, string>> = {
  register: 'register (signed)',
  retrieve: 'retrieve (signed, no key cached)',
  retrieveWarm: 'retrieve (signed, secret cached)',
  update: 'update renewing `et`',
  delete: 'delete',
  rotate: 'rotate',
  expiry: 'expiry (fired schedule)',
};

function amount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** The README's cost section: the arithmetic, then every operation. */
export function renderCost(
  assumptions: CostAssumptions = DEFAULT_ASSUMPTIONS,
): string {
  const register = usageOf(AWS_CALLS.register, assumptions);
  const expiry = usageOf(AWS_CALLS.expiry, assumptions);
  const lifecycle = sum(register, expiry);
  const keys = Object.keys(rowLabels) as (keyof Usage)[];
  const arithmetic = keys.map((key) => {
    const [label, price] = rowLabels[key];
    const perMillion = lifecycle[key] * unitPrices[key] * 1_000_000;
    return `| ${label} | ${amount(register[key])} | ${amount(expiry[key])} | ${amount(lifecycle[key])} | ${price} | ${dollars(perMillion)} |`;
  });
  const operations = (Object.keys(operationLabels) as Operation[]).map(
    (operation) => {
      const calls = AWS_CALLS[operation];
      const usage = usageOf(calls, assumptions);
      return `| ${operationLabels[operation]} | ${calls.kms} | ${amount(usage.readUnits)} | ${amount(usage.writeUnits)} | ${usage.schedulerInvocations} | ${usage.lambdaRequests} | ${dollars(costPerMillion(usage))} |`;
    },
  );
  return [
    `Prices: ${PRICES.region} list prices as checked in ${PRICES.checked}, ` +
      'free tiers left out. Assumed: both functions have ' +
      `${assumptions.memoryMb} MB (the stack's setting) and are billed ` +
      `${assumptions.apiMs} ms per api invocation and ` +
      `${assumptions.expiryMs} ms per expiry invocation (stated, not ` +
      'measured on AWS); items stay under 1 KB.',
    '',
    'One million registrations, each ending by its expiry schedule:',
    '',
    '| Billed as | register | expiry | per registration | price | per million registrations |',
    '| --- | --- | --- | --- | --- | --- |',
    ...arithmetic,
    `| **Total** | | | | | **${dollars(costPerMillion(lifecycle))}** |`,
    '',
    'Each operation on its own:',
    '',
    '| Operation | KMS | read units | write units | Scheduler invocations | Lambda requests | per million |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...operations,
    '',
  ].join('\n');
}

function readAssumptions(values: Record<string, unknown>): CostAssumptions {
  const number = (name: string, fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`--${name}: expected a positive number, got "${raw}"`);
    }
    return value;
  };
  return {
    memoryMb: number('memory-mb', DEFAULT_ASSUMPTIONS.memoryMb),
    apiMs: number('api-ms', DEFAULT_ASSUMPTIONS.apiMs),
    expiryMs: number('expiry-ms', DEFAULT_ASSUMPTIONS.expiryMs),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      'memory-mb': { type: 'string' },
      'api-ms': { type: 'string' },
      'expiry-ms': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const assumptions = readAssumptions(values);
  if (values.json === true) {
    const perOperation = Object.fromEntries(
      (Object.keys(AWS_CALLS) as Operation[]).map((operation) => [
        operation,
        costPerMillion(usageOf(AWS_CALLS[operation], assumptions)),
      ]),
    );
    process.stdout.write(
      `${JSON.stringify({ prices: PRICES, assumptions, perMillion: perOperation }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(renderCost(assumptions));
  }
}
