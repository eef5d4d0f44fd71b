import { performance } from 'node:perf_hooks';
import { AeClient } from '#registrar/client/ae-client.ts';
import {
  RegistrarRejectedError,
  TransportError,
} from '#registrar/client/errors.ts';
import type { Credential } from '#registrar/client/request.ts';

/** How much load {@link runLoad} makes. */
export interface LoadOptions {
  /** How many AEs register, then retrieve once each. */
  readonly aes: number;
  /** Most requests in flight at once. */
  readonly concurrency: number;
  /** No request starts after this many seconds from the first. */
  readonly maxSeconds: number;
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
}

/** What {@link runLoad} measured. */
export interface LoadResult {
  readonly registrations: PhaseResult;
  readonly retrieves: PhaseResult;
  /** Wall-clock seconds of both phases. */
  readonly totalSeconds: number;
}

/**
 * Registers `aes` AEs with the master credential, then retrieves each
 * registered one once with its own secret, at most `concurrency` requests
 * in flight.
 */
export async function runLoad(
  baseUrl: string,
  enrollment: Credential,
  options: LoadOptions,
  serverCpuSeconds: () => number,
): Promise<LoadResult> {
  const deadline = performance.now() + options.maxSeconds * 1000;
  const clients = Array.from(
    { length: options.aes },
    () => new AeClient({ baseUrl }),
  );
  const registered: AeClient[] = [];
  const settings = {
    concurrency: options.concurrency,
    deadline,
    serverCpuSeconds,
  };
  const registrations = await phase(clients, settings, async (client) => {
    await client.register(
      { api: 'Nbench', rr: false, srv: ['4'] },
      {
        enrollment,
      },
    );
    registered.push(client);
  });
  const retrieves = await phase(registered, settings, async (client) => {
    await client.retrieve();
  });
  return {
    registrations,
    retrieves,
    totalSeconds: registrations.seconds + retrieves.seconds,
  };
}

/** How a phase runs, and how it reads the server's CPU time. */
interface PhaseSettings {
  readonly concurrency: number;
  /** `performance.now()` after which no request starts. */
  readonly deadline: number;
  readonly serverCpuSeconds: () => number;
}

/** Runs `task` on every item, `concurrency` at a time, until `deadline`. */
async function phase<T>(
  items: readonly T[],
  settings: PhaseSettings,
  task: (item: T) => Promise<void>,
): Promise<PhaseResult> {
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
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = (settings.serverCpuSeconds() - cpuBefore) * 1000;
  return {
    attempted: next,
    ok: latencies.length,
    seconds: round(seconds, 3),
    perSecond: seconds > 0 ? Math.round(latencies.length / seconds) : 0,
    latencyMs: percentiles(latencies),
    errors,
    serverCpuMsPerRequest:
      latencies.length === 0 ? 0 : round(cpuMs / latencies.length, 2),
  };
}

function failureKind(error: unknown): string {
  if (error instanceof RegistrarRejectedError) {
    return String(error.rsc);
  }
  return error instanceof TransportError ? 'transport' : 'client';
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
