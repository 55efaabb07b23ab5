// What the development Tryton server needs from the machine: Debian's Tryton 6.0 (the LTS line
// Debian 12 packages), its proteus scripting library, and the modules below, run by Debian's own
// Python (/usr/bin/python3, where the packages install; a pyenv or venv python does not see them).
// One table: the modules the database activates, each with the Debian package that carries it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Modules activated in the database (their dependencies come along), and their Debian packages. */
export const TRYTON_MODULES = [
  'party',
  'company',
  'product',
  'account',
  'account_invoice',
  'account_invoice_stock',
  'account_credit_limit',
  'sale',
  'sale_credit_limit',
  'sale_discount',
  'stock',
  'stock_lot',
] as const;

export const TRYTON_DEBIAN_PACKAGES = [
  'tryton-server',
  'tryton-proteus',
  ...TRYTON_MODULES.map((m) => `tryton-modules-${m.replaceAll('_', '-')}`),
];

export const DEFAULT_PYTHON = '/usr/bin/python3';

export class TrytonNotInstalledError extends Error {
  override readonly name = 'TrytonNotInstalledError';
}

export function installCommand(): string {
  return `sudo apt-get install -y ${TRYTON_DEBIAN_PACKAGES.join(' ')}`;
}

/**
 * Checks that trytond, trytond-admin, proteus and every module are there; throws
 * TrytonNotInstalledError saying which Debian packages to install otherwise. Resolves to trytond's
 * version.
 */
export async function checkTrytonInstallation(python: string = DEFAULT_PYTHON): Promise<string> {
  const probe = [
    'import importlib.util, json, shutil',
    `mods = ${JSON.stringify(TRYTON_MODULES)}`,
    'out = {"missing": [], "version": None}',
    'try:',
    '    import trytond, proteus',
    '    out["version"] = trytond.__version__',
    '    out["missing"] = [m for m in mods if importlib.util.find_spec("trytond.modules." + m) is None]',
    'except ImportError as e:',
    '    out["missing"] = ["trytond/proteus: " + str(e)]',
    'out["binaries"] = [b for b in ("trytond", "trytond-admin") if shutil.which(b) is None]',
    'print(json.dumps(out))',
  ].join('\n');
  let answer: { missing: string[]; version: string | null; binaries: string[] };
  try {
    const { stdout } = await run(python, ['-c', probe], { timeout: 30_000 });
    answer = JSON.parse(stdout) as typeof answer;
  } catch (error) {
    throw new TrytonNotInstalledError(
      `Tryton needs Debian's Python at ${python} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}). ` +
        `Install Tryton 6.0 from Debian: ${installCommand()}`,
    );
  }
  const missing = [...answer.missing, ...answer.binaries];
  if (missing.length > 0 || !answer.version) {
    throw new TrytonNotInstalledError(
      `Tryton is not installed completely (missing: ${missing.join(', ')}). Install it from Debian: ${installCommand()}`,
    );
  }
  if (!answer.version.startsWith('6.0.')) {
    throw new TrytonNotInstalledError(
      `Tryton ${answer.version} is installed; this project seeds Tryton 6.0 (Debian 12: ${installCommand()})`,
    );
  }
  return answer.version;
}
