// Runs trytond (Debian's, with Debian's Python) on a prepared database (database.ts), on loopback,
// and says when it serves: when the integration user can sign in over JSON-RPC, which also proves
// the database loaded. Stopping sends SIGTERM, then SIGKILL after a grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { trytondConfig } from './database.js';

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

export interface TrytonServerOptions {
  /** DATA_DIR/tryton: trytond.conf is written there. */
  readonly directory: string;
  readonly databasesPath: string;
  readonly database: string;
  readonly host: string;
  readonly port: number;
  readonly python: string;
  /** Tryton's [session] max_age (seconds a session lasts); its default (30 days) when absent. */
  readonly sessionMaxAgeS?: number;
  /** Signs in once to tell the server is ready. */
  readonly username: string;
  readonly password: string;
  /** trytond's own output (its log). */
  readonly output: Writable;
}

export interface RunningTryton {
  /** e.g. http://127.0.0.1:4040 */
  readonly url: string;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Python logging for trytond: warnings and errors only (at INFO, werkzeug logs every request). See
 * logging.config.fileConfig.
 */
const LOGGING = `[loggers]
keys=root
[handlers]
keys=stderr
[formatters]
keys=plain
[logger_root]
level=WARNING
handlers=stderr
[handler_stderr]
class=StreamHandler
args=(sys.stderr,)
formatter=plain
[formatter_plain]
format=%(levelname)s %(name)s %(message)s
`;

export async function startTrytonServer(options: TrytonServerOptions): Promise<RunningTryton> {
  const configFile = join(options.directory, `trytond-${options.port}.conf`);
  const loggingFile = join(options.directory, 'logging.conf');
  await writeFile(
    configFile,
    trytondConfig(options.databasesPath, { host: options.host, port: options.port }, options.sessionMaxAgeS),
  );
  await writeFile(loggingFile, LOGGING);
  const child = spawn(
    options.python,
    ['/usr/bin/trytond', '-c', configFile, '--logconf', loggingFile, '-d', options.database],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C reaches the launcher, which stops trytond itself.
      detached: true,
    },
  );
  child.stdout?.pipe(options.output, { end: false });
  child.stderr?.pipe(options.output, { end: false });
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      hasExited = true;
      resolve(code);
    });
    child.once('error', () => {
      hasExited = true;
      resolve(null);
    });
  });
  const url = `http://${options.host}:${options.port}`;
  const running: RunningTryton = {
    url,
    process: child,
    exited,
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitUntilServing(url, options, () => hasExited);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function waitUntilServing(url: string, options: TrytonServerOptions, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const body = JSON.stringify({
    id: 0,
    method: 'common.db.login',
    params: [options.username, { password: options.password }, 'en'],
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`trytond exited before it served (${last})`);
    try {
      const response = await fetch(`${url}/${encodeURIComponent(options.database)}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.status === 200 && text.includes('"result"')) return;
      last = `sign-in answered HTTP ${response.status}${text.includes('"error"') ? `: ${text.slice(0, 200)}` : ''}`;
      // A refused sign-in will not get better by waiting.
      if (response.status === 401 || response.status === 403)
        throw new Error(`trytond refuses the integration user (${last})`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('trytond refuses')) throw error;
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`trytond did not serve within ${READY_TIMEOUT_MS} ms (${last})`);
}
