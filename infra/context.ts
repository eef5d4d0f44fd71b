import type { RegistrarFunctionSettings } from './registrar-stack.ts';

/** The app's choices, read from CDK context. */
export interface StackContext {
  readonly stackName: string;
  readonly deletionProtection: boolean;
  /** Deploy with the caller's credentials, not the bootstrap roles. */
  readonly cliCredentials: boolean;
  /** API throttling; absent values keep the stack's defaults. */
  readonly throttle: { rateLimit?: number; burstLimit?: number };
  readonly settings: RegistrarFunctionSettings;
}

/** A context value that is present but malformed. */
export class ContextError extends Error {
  public constructor(name: string, problem: string) {
    super(`context ${name}: ${problem}`);
    this.name = 'ContextError';
  }
}

type Lookup = (name: string) => unknown;

/** Context values arrive as strings from `-c` and as JSON from cdk.json. */
function flag(lookup: Lookup, name: string): boolean | undefined {
  const value = lookup(name);
  if (value === undefined || value === true || value === false) {
    return value;
  }
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  throw new ContextError(name, `expected true or false, got "${value}"`);
}

function whole(lookup: Lookup, name: string): number | undefined {
  const value = lookup(name);
  if (value === undefined) {
    return undefined;
  }
  if (!/^\d+$/.test(String(value))) {
    throw new ContextError(name, `expected a whole number, got "${value}"`);
  }
  return Number(value);
}

function word(lookup: Lookup, name: string): string | undefined {
  const value = lookup(name);
  return value === undefined ? undefined : String(value);
}

function security(lookup: Lookup): 'signed' | 'open' | undefined {
  const value = word(lookup, 'security');
  if (value === undefined || value === 'signed' || value === 'open') {
    return value;
  }
  throw new ContextError('security', `expected signed or open, got "${value}"`);
}

/** Reads the app's context; absent values keep the stack's defaults. */
export function readStackContext(lookup: Lookup): StackContext {
  const entries: Array<[keyof RegistrarFunctionSettings, unknown]> = [
    ['security', security(lookup)],
    ['forceOpen', flag(lookup, 'forceOpen')],
    ['cseId', word(lookup, 'cseId')],
    ['cseRn', word(lookup, 'cseRn')],
    ['spId', word(lookup, 'spId')],
    ['clockSkewS', whole(lookup, 'clockSkewS')],
    ['defaultLifetimeS', whole(lookup, 'defaultLifetimeS')],
    ['maxLifetimeS', whole(lookup, 'maxLifetimeS')],
  ];
  const settings = Object.fromEntries(
    entries.filter(([, value]) => value !== undefined),
  ) as RegistrarFunctionSettings;
  return {
    stackName: word(lookup, 'stackName') ?? 'M2mRegistrar',
    deletionProtection: flag(lookup, 'deletionProtection') ?? true,
    cliCredentials: flag(lookup, 'cliCredentials') ?? false,
    throttle: Object.fromEntries(
      [
        ['rateLimit', whole(lookup, 'throttleRate')],
        ['burstLimit', whole(lookup, 'throttleBurst')],
      ].filter(([, value]) => value !== undefined),
    ),
    settings,
  };
}
