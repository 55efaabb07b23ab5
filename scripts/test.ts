// `npm test` and `npm run test:salesforce`: the repository's vitest suite, then the Salesforce DX
// project's Lightning Web Component tests (Jest through @salesforce/sfdx-lwc-jest, run from
// salesforce/ with its own install: LWC 8 there, the console's LWC 9 here). Both always run, so one
// failing never hides the other's result; the exit code is non-zero when either failed.
//
//   npm test                         vitest run, then Jest
//   npm test -- test/odata           vitest run test/odata only (a file filter narrows to vitest)
//   npm test -- --reporter=dot       options go to vitest; Jest still runs
//   npm run test:salesforce          vitest run test/salesforce (the project's offline checks and its
//                                    live $metadata test), then Jest
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SALESFORCE = path.join(ROOT, 'salesforce');

interface Step {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

function run(step: Step): Promise<number> {
  return new Promise((resolve) => {
    console.log(
      `\n▶ ${step.name}: ${[path.basename(step.command), ...step.args].join(' ')}${step.cwd === ROOT ? '' : ` (in ${path.relative(ROOT, step.cwd)}/)`}\n`,
    );
    const child = spawn(step.command, step.args, { cwd: step.cwd, stdio: 'inherit' });
    // Ctrl-C reaches the child through the terminal's process group; a SIGTERM to this process is forwarded.
    const forward = () => child.kill('SIGTERM');
    process.once('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`${step.name} could not start: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.removeListener('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function vitest(args: readonly string[]): Step {
  const entry = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  return { name: 'vitest', command: process.execPath, args: [entry, 'run', ...args], cwd: ROOT };
}

function lwcJest(): Step | string {
  const bin = path.join(SALESFORCE, 'node_modules/@salesforce/sfdx-lwc-jest/bin/sfdx-lwc-jest');
  if (!existsSync(bin)) {
    return 'salesforce/node_modules is missing: install the Salesforce project with `npm ci --prefix salesforce` (npm install and npm ci at the root do it, in postinstall).';
  }
  return {
    name: 'Jest (Salesforce Lightning Web Components)',
    command: process.execPath,
    args: [bin, '--', '--ci'],
    cwd: SALESFORCE,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const salesforceOnly = argv[0] === '--salesforce';
  const args = salesforceOnly ? ['test/salesforce', ...argv.slice(1)] : [...argv];
  // Positional arguments are vitest file filters: the run is narrowed to those files.
  const narrowed = !salesforceOnly && args.some((arg) => !arg.startsWith('-'));
  const results: Array<[string, number]> = [];
  const vitestStep = vitest(args);
  results.push([vitestStep.name, await run(vitestStep)]);
  if (!narrowed) {
    const jest = lwcJest();
    if (typeof jest === 'string') {
      console.error(`\n${jest}`);
      results.push(['Jest (Salesforce Lightning Web Components)', 1]);
    } else {
      results.push([jest.name, await run(jest)]);
    }
  }
  console.log('');
  for (const [name, code] of results) console.log(`${code === 0 ? 'passed' : 'FAILED'}: ${name}`);
  return results.some(([, code]) => code !== 0) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
