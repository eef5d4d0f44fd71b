import { cpus, release, totalmem } from 'node:os';
import type { LoadResult, PhaseResult } from './bench-load.ts';

/** The machine a bench ran on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
}

/** Everything `npm run bench` reports. */
export interface BenchReport extends LoadResult {
  readonly options: {
    readonly aes: number;
    readonly concurrency: number;
    readonly maxSeconds: number;
    readonly warmup: number;
    readonly serverLogLevel: string;
  };
  /** CPU seconds used during the load: server process, bench process. */
  readonly cpuSeconds: { readonly server: number; readonly client: number };
  readonly machine: Machine;
}

/** This machine: CPU model, logical cores, memory, Node and kernel. */
export function machine(): Machine {
  const all = cpus();
  return {
    cpu: all[0]?.model.trim() ?? 'unknown',
    cores: all.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
  };
}

function phaseLine(name: string, phase: PhaseResult): string {
  const { p50, p99, max } = phase.latencyMs;
  const errors = Object.entries(phase.errors)
    .map(([kind, count]) => `${kind}: ${count}`)
    .join(', ');
  return [
    `${name.padEnd(14)} ${String(phase.perSecond).padStart(6)}/s  ` +
      `${phase.ok}/${phase.attempted} ok in ${phase.seconds.toFixed(2)} s  ` +
      `p50 ${p50} ms  p99 ${p99} ms  max ${max} ms`,
    `${''.padEnd(14)} CPU per request: server ` +
      `${phase.serverCpuMsPerRequest} ms, bench ` +
      `${phase.clientCpuMsPerRequest} ms sending + ` +
      `${phase.signingCpuMsPerRequest} ms signing (before the clock)`,
    `${''.padEnd(14)} errors: ${errors === '' ? 'none' : errors}`,
  ].join('\n');
}

/** The report as plain text. */
export function formatReport(report: BenchReport): string {
  const { options, machine: m } = report;
  return `${[
    `m2m-registrar bench: ${options.aes} AEs, concurrency ` +
      `${options.concurrency}, signed, HTTP on 127.0.0.1 ` +
      `(server log level ${options.serverLogLevel}` +
      `${options.warmup === 0 ? '' : `, after ${options.warmup} warm-up registrations`})`,
    '',
    ...(options.warmup === 0 ? [] : [phaseLine('warm-up', report.warmup)]),
    phaseLine('registrations', report.registrations),
    phaseLine('retrieves', report.retrieves),
    `${'total'.padEnd(14)} ${report.totalSeconds.toFixed(2)} s`,
    `${'cpu'.padEnd(14)} server ${report.cpuSeconds.server.toFixed(2)} s, ` +
      `bench client ${report.cpuSeconds.client.toFixed(2)} s`,
    '',
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ` +
      `Node ${m.node}, ${m.os}`,
  ].join('\n')}\n`;
}
