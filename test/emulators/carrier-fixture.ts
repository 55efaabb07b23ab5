// The carrier emulator for tests: started over HTTPS on a free port with its own DATA_DIR (so its CA
// is created fresh), a pinned clock and the seed's dataset for a pinned day; and a small HTTPS client
// that trusts exactly that CA, the way any client of a carrier API would call it.
import https from 'node:https';
import { generateDataset } from '../../emulators/seed/generate.js';
import type { ErpDataset } from '../../emulators/seed/types.js';
import {
  loadCarrierEmulatorConfig,
  startCarrierEmulator,
  type RunningCarrierEmulator,
} from '../../emulators/carrier/index.js';
import type { RateLimits } from '../../emulators/carrier/rate-limit.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';

/** The seed's "today" in these tests: every shipment date is before it. */
export const TODAY = '2026-11-23';
export const SEED = 42;
export const CLIENT = { client_id: 'customer360-carrier-dev', client_secret: 'customer360-carrier-dev-secret' };

export interface HttpsAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** One HTTPS request trusting `ca`; the body is parsed as JSON when there is one. */
export function httpsRequest<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {},
): Promise<HttpsAnswer<T>> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        ...(init.ca !== undefined ? { ca: init.ca } : {}),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: (text ? JSON.parse(text) : null) as T,
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

export interface CarrierTestClient {
  running: RunningCarrierEmulator;
  dataset: ErpDataset;
  dataDir: TempDir;
  /** The emulator's CA (PEM). */
  ca: string;
  /** Moves the emulator's clock (scan visibility, token expiry, rate windows). */
  clock: { now: number };
  token(fields?: Record<string, string>): Promise<HttpsAnswer>;
  /** POST /track/v1/trackingnumbers with a fresh bearer token (or `authorization`). */
  track(body: unknown, headers?: Record<string, string>): Promise<HttpsAnswer>;
  /** POST a JSON body to an /__emulator route. */
  control(path: string, body?: unknown, method?: string): Promise<HttpsAnswer>;
  close(): Promise<void>;
}

export async function startCarrierFixture(
  options: {
    /** The emulator's clock: a pinned start (moved by hand through `clock`), or 'real' for wall-clock time. */
    now?: number | 'real';
    rateLimits?: RateLimits;
    tokenLifetimeSeconds?: number;
    dataset?: ErpDataset;
    latencyMs?: number;
    credentials?: { clientId: string; clientSecret: string };
  } = {},
): Promise<CarrierTestClient> {
  const dataDir = createTempDir('carrier');
  const pinned = { now: typeof options.now === 'number' ? options.now : Date.parse(`${TODAY}T12:00:00Z`) };
  const clock =
    options.now === 'real'
      ? {
          get now() {
            return Date.now();
          },
          set now(_ignored: number) {
            throw new Error('a real clock cannot be moved');
          },
        }
      : pinned;
  const dataset = options.dataset ?? generateDataset({ accounts: 60, seed: SEED, today: TODAY }).erp;
  const config = {
    ...loadCarrierEmulatorConfig({ DATA_DIR: dataDir.path }),
    port: 0,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const running = await startCarrierEmulator(config, { dataset, now: () => new Date(clock.now) });
  const ca = running.tls.caPem;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const token = (fields: Record<string, string> = { grant_type: 'client_credentials', ...CLIENT }) =>
    httpsRequest(running.tokenUrl, {
      method: 'POST',
      ca,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(fields),
    });
  return {
    running,
    dataset,
    dataDir,
    ca,
    clock,
    token,
    async track(body, headers = {}) {
      const authorization =
        headers.authorization ?? `Bearer ${((await token()).body as { access_token: string }).access_token}`;
      return httpsRequest(running.trackUrl, {
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json', ...headers, authorization },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    control: (path, body, method = 'POST') =>
      httpsRequest(`${running.url}/__emulator${path}`, {
        method,
        ca,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    async close() {
      await running.close();
      dataDir.remove();
    },
  };
}

/** The Track API request body for some numbers (with carrierCodes when given). */
export function trackBody(
  numbers: ReadonlyArray<string | { trackingNumber: string; carrierCode?: string }>,
  includeDetailedScans = true,
) {
  return {
    includeDetailedScans,
    trackingInfo: numbers.map((n) => ({ trackingNumberInfo: typeof n === 'string' ? { trackingNumber: n } : n })),
  };
}

export interface TrackResultBody {
  trackingNumberInfo: { trackingNumber: string; carrierCode: string; trackingNumberUniqueId: string };
  error?: { code: string; message: string };
  latestStatusDetail?: {
    code: string;
    derivedCode: string;
    statusByLocale: string;
    description: string;
    scanLocation: { city: string };
  };
  dateAndTimes?: Array<{ type: string; dateTime: string }>;
  estimatedDeliveryTimeWindow?: { window: { begins?: string; ends?: string } };
  additionalTrackingInfo?: { packageIdentifiers: Array<{ type: string; value: string }> };
  recipientInformation?: { address: { city: string; countryCode: string } };
  scanEvents?: Array<{
    date: string;
    eventType: string;
    eventDescription: string;
    derivedStatusCode: string;
    scanLocation: { city: string };
  }>;
}

/** The first trackResult of each completeTrackResult, in request order. */
export function results(answer: HttpsAnswer): TrackResultBody[] {
  const body = answer.body as {
    output: { completeTrackResults: Array<{ trackingNumber: string; trackResults: TrackResultBody[] }> };
  };
  return body.output.completeTrackResults.map((c) => c.trackResults[0]!);
}
