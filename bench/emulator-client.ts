// The emulators' control surface (DESIGN.md; emulators/common/traffic.ts): request counters read
// back after a run, reset before it, and faults switched on and off. Only the fields the benchmark
// reports are typed; `recent` is dropped.

export interface EmulatorStats {
  /** API requests since the last reset (/__emulator routes excluded). */
  readonly total: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Requests per route key, e.g. "GET customers", "token", "query Account". */
  readonly byRoute: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
}

export interface Faults {
  outage?: boolean;
  status?: number;
  errorRate?: number;
  latencyMs?: number;
  pathPattern?: string;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  }
  return response;
}

export async function readStats(emulatorUrl: string): Promise<EmulatorStats> {
  const body = (await (await call(`${emulatorUrl}/__emulator/stats`, { method: 'GET' })).json()) as EmulatorStats;
  return {
    total: body.total,
    inFlight: body.inFlight,
    maxInFlight: body.maxInFlight,
    byRoute: body.byRoute,
    byStatus: body.byStatus,
  };
}

export async function resetStats(emulatorUrl: string): Promise<void> {
  await (await call(`${emulatorUrl}/__emulator/stats`, { method: 'DELETE' })).body?.cancel();
}

/** An empty object clears every fault. */
export async function setFaults(emulatorUrl: string, faults: Faults): Promise<void> {
  const response = await call(`${emulatorUrl}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  await response.body?.cancel();
}
