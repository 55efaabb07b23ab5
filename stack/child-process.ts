// One service of the embedded stack as a child process: started with this Node and tsx, its output
// prefixed line by line with its name, stopped politely (SIGTERM) and then firmly (SIGKILL).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ServiceSpec } from './services.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ChildService {
  readonly spec: ServiceSpec;
  readonly pid: number | undefined;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<ExitStatus>;
  readonly hasExited: boolean;
  stop(): Promise<void>;
  /** Last resort on the launcher's own exit: no waiting possible there. */
  kill(): void;
}

const STOP_GRACE_MS = 5_000;

/** Where a child's prefixed output goes: the launcher's own terminal by default; the benchmark sends it to a log file. */
export interface ServiceOutput {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export function describeExit({ code, signal }: ExitStatus): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

export function spawnService(
  spec: ServiceSpec,
  inheritedEnv: Readonly<Record<string, string | undefined>>,
  prefixWidth: number,
  output: ServiceOutput = { stdout: process.stdout, stderr: process.stderr },
): ChildService {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    env: { ...inheritedEnv, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which then stops
    // the services in reverse dependency order instead of all at once.
    detached: true,
  });
  const prefix = `${spec.name.padEnd(prefixWidth)} | `;
  prefixLines(child.stdout, output.stdout, prefix);
  prefixLines(child.stderr, output.stderr, prefix);

  let hasExited = false;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    });
    // A failed spawn emits 'error' and no 'exit'.
    child.once('error', (error) => {
      output.stderr.write(`${prefix}cannot start: ${error.message}\n`);
      hasExited = true;
      resolve({ code: null, signal: null });
    });
  });

  return {
    spec,
    pid: child.pid,
    exited,
    get hasExited() {
      return hasExited;
    },
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (!hasExited) child.kill('SIGKILL');
    },
  };
}

function prefixLines(from: Readable, to: Writable, prefix: string): void {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`${prefix}${line}\n`));
}

/** Polls the service's readiness URL until it answers 200; fails if the child exits or time runs out. */
export async function waitUntilReady(service: ChildService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (service.hasExited) throw new Error(`exited before it was ready (${describeExit(await service.exited)})`);
    try {
      const { readinessBody } = service.spec;
      const response = await fetch(service.spec.readinessUrl, {
        signal: AbortSignal.timeout(1_000),
        ...(readinessBody
          ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: readinessBody }
          : {}),
      });
      await response.body?.cancel();
      if (response.status === 200) return;
      lastProblem = `${service.spec.readinessUrl} answered ${response.status}`;
    } catch (error) {
      lastProblem = `${service.spec.readinessUrl}: ${error instanceof Error ? error.message : String(error)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready after ${timeoutMs} ms (${lastProblem})`);
}
