import type { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { readCredentialMember } from '#registrar/client/credential-member.ts';
import {
  type Credential,
  type PreparedRequest,
  prepareRequest,
} from '#registrar/client/request.ts';
import {
  BenchTransportError,
  keepAliveAgent,
  sendPrepared,
} from './bench-http.ts';

/** Longest wait for one answer, milliseconds. */
const TIMEOUT_MS = 10_000;

/** How much load {@link runLoad} makes. */
export interface LoadOptions {
  /** How many AEs register, then retrieve once each. */
  readonly aes: number;
  /** Most requests in flight at once. */
  readonly concurrency: number;
  /** No request starts after this many seconds from the first. */
  readonly maxSeconds: number;
  /**
   * Registrations sent before the measured phases and left out of every
   * figure, so that the server's code is compiled and its caches filled.
   */
  readonly warmup: number;
}

/** Latency percentiles of a phase's successful requests, milliseconds. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** What one phase (register, or retrieve) measured. */
export interface PhaseResult {
  readonly attempted: number;
  readonly ok: number;
  /** Wall-clock seconds from the phase's first request to its last answer. */
  readonly seconds: number;
  /** Successful requests per second of {@link seconds}. */
  readonly perSecond: number;
  readonly latencyMs: Latency;
  /** Failures by oneM2M code, `transport` or `client`. */
  readonly errors: Readonly<Record<string, number>>;
  /** Server CPU time per successful request, milliseconds. */
  readonly serverCpuMsPerRequest: number;
  /** The bench's own CPU time per request while sending, milliseconds. */
  readonly clientCpuMsPerRequest: number;
  /** The bench's CPU time per request to prepare and sign, before. */
  readonly signingCpuMsPerRequest: number;
}

/** What {@link runLoad} measured. */
export interface LoadResult {
  /** The warm-up registrations, left out of the other figures. */
  readonly warmup: PhaseResult;
  readonly registrations: PhaseResult;
  readonly retrieves: PhaseResult;
  /** Wall-clock seconds of both phases. */
  readonly totalSeconds: number;
}

/** A registered AE: its identity and the secret it signs with. */
interface Registered {
  readonly aei: string;
  readonly rn: string;
  readonly credential: Credential;
}

/** An answer that is not the one expected: counted as `client`. */
class UnexpectedAnswerError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UnexpectedAnswerError';
  }
}

/** An answer with an unexpected `X-M2M-RSC`: counted under that code. */
class RscError extends Error {
  public readonly rsc: number;

  public constructor(rsc: number) {
    super(`answered ${rsc}`);
    this.name = 'RscError';
    this.rsc = rsc;
  }
}

/**
 * Registers `aes` AEs with the master credential, then retrieves each
 * registered one once with its own secret, at most `concurrency` requests
 * in flight.
 *
 * Each request is prepared and signed exactly as `AeClient` does it
 * (`prepareRequest`, hence `signRequest`), but all of a phase's requests
 * are signed before the phase's clock starts, and sent with `node:http`
 * over keep-alive connections, so that the load generator, which shares
 * the machine with the server, takes as little CPU as it can while the
 * server is measured. Every answer's `X-M2M-RSC` and body are checked.
 */
export async function runLoad(
  baseUrl: string,
  enrollment: Credential,
  options: LoadOptions,
  serverCpuSeconds: () => number,
): Promise<LoadResult> {
  const deadline = performance.now() + options.maxSeconds * 1000;
  const agent = keepAliveAgent(options.concurrency);
  const settings = {
    concurrency: options.concurrency,
    deadline,
    serverCpuSeconds,
  };
  try {
    const warmup = await phase(
      settings,
      () =>
        Array.from({ length: options.warmup }, () =>
          registrationRequest(baseUrl, enrollment),
        ),
      (prepared) => expectAnswer(agent, prepared, 2001).then(() => undefined),
    );
    const registered: Registered[] = [];
    const registrations = await phase(
      settings,
      () =>
        Array.from({ length: options.aes }, () =>
          registrationRequest(baseUrl, enrollment),
        ),
      async (prepared) => {
        const answer = await expectAnswer(agent, prepared, 2001);
        registered.push(registeredFrom(answer));
      },
    );
    const retrieves = await phase(
      settings,
      () =>
        registered.map((ae) => ({
          ae,
          prepared: retrieveRequest(baseUrl, ae),
        })),
      async ({ ae, prepared }) => {
        const answer = await expectAnswer(agent, prepared, 2000);
        if (aeOf(answer).aei !== ae.aei) {
          throw new UnexpectedAnswerError('retrieved another AE');
        }
      },
    );
    return {
      warmup,
      registrations,
      retrieves,
      totalSeconds: registrations.seconds + retrieves.seconds,
    };
  } finally {
    agent.destroy();
  }
}

function registrationRequest(
  baseUrl: string,
  enrollment: Credential,
): PreparedRequest {
  return prepareRequest(
    baseUrl,
    {
      method: 'POST',
      path: '/cse-in',
      ty: 2,
      body: { 'm2m:ae': { api: 'Nbench', rr: false, srv: ['4'] } },
    },
    { credential: enrollment },
  );
}

function retrieveRequest(baseUrl: string, ae: Registered): PreparedRequest {
  return prepareRequest(
    baseUrl,
    {
      method: 'GET',
      path: `/cse-in/${encodeURIComponent(ae.rn)}`,
      origin: ae.aei,
    },
    { credential: ae.credential },
  );
}

/** Sends `prepared`; its JSON body when `X-M2M-RSC` is `rsc`. */
async function expectAnswer(
  agent: Agent,
  prepared: PreparedRequest,
  rsc: number,
): Promise<Record<string, unknown>> {
  const answer = await sendPrepared(agent, prepared, TIMEOUT_MS);
  if (answer.rsc !== rsc) {
    throw Number.isInteger(answer.rsc)
      ? new RscError(answer.rsc)
      : new UnexpectedAnswerError('no X-M2M-RSC');
  }
  const body: unknown = JSON.parse(answer.text);
  if (typeof body !== 'object' || body === null) {
    throw new UnexpectedAnswerError('the body is not a JSON object');
  }
  return body as Record<string, unknown>;
}

function aeOf(body: Record<string, unknown>): Record<string, unknown> {
  const ae = body['m2m:ae'];
  if (typeof ae !== 'object' || ae === null) {
    throw new UnexpectedAnswerError('the answer has no m2m:ae');
  }
  return ae as Record<string, unknown>;
}

function registeredFrom(body: Record<string, unknown>): Registered {
  const ae = aeOf(body);
  const credential = readCredentialMember(body);
  if (
    typeof ae.aei !== 'string' ||
    typeof ae.rn !== 'string' ||
    credential === undefined
  ) {
    throw new UnexpectedAnswerError('the registration answer is incomplete');
  }
  return { aei: ae.aei, rn: ae.rn, credential };
}

/** How a phase runs, and how it reads the server's CPU time. */
interface PhaseSettings {
  readonly concurrency: number;
  /** `performance.now()` after which no request starts. */
  readonly deadline: number;
  readonly serverCpuSeconds: () => number;
}

/**
 * Prepares the phase's items (untimed), then runs `task` on every item,
 * `concurrency` at a time, until `deadline`.
 */
async function phase<T>(
  settings: PhaseSettings,
  prepare: () => readonly T[],
  task: (item: T) => Promise<void>,
): Promise<PhaseResult> {
  const signingCpu = process.cpuUsage();
  const items = prepare();
  const signingMs = cpuMs(process.cpuUsage(signingCpu));
  const { concurrency, deadline } = settings;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < items.length && performance.now() < deadline) {
      const item = items[next] as T;
      next += 1;
      const started = performance.now();
      try {
        await task(item);
        latencies.push(performance.now() - started);
      } catch (error) {
        const kind = failureKind(error);
        errors[kind] = (errors[kind] ?? 0) + 1;
      }
    }
  };
  const cpuBefore = settings.serverCpuSeconds();
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
  const seconds = (performance.now() - started) / 1000;
  const clientMs = cpuMs(process.cpuUsage(clientCpu));
  const serverMs = (settings.serverCpuSeconds() - cpuBefore) * 1000;
  const perRequest = (ms: number, count: number) =>
    count === 0 ? 0 : round(ms / count, 3);
  return {
    attempted: next,
    ok: latencies.length,
    seconds: round(seconds, 3),
    perSecond: seconds > 0 ? Math.round(latencies.length / seconds) : 0,
    latencyMs: percentiles(latencies),
    errors,
    serverCpuMsPerRequest: perRequest(serverMs, latencies.length),
    clientCpuMsPerRequest: perRequest(clientMs, next),
    signingCpuMsPerRequest: perRequest(signingMs, items.length),
  };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function failureKind(error: unknown): string {
  if (error instanceof RscError) {
    return String(error.rsc);
  }
  return error instanceof BenchTransportError ? 'transport' : 'client';
}

/** p50, p99 and max of `values` (nearest rank), rounded to 0.1 ms. */
export function percentiles(values: readonly number[]): Latency {
  if (values.length === 0) {
    return { p50: 0, p99: 0, max: 0 };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return {
    p50: round(rank(0.5), 1),
    p99: round(rank(0.99), 1),
    max: round(sorted[sorted.length - 1] ?? 0, 1),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
