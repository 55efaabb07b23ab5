// `npm run bench [-- scenario ...]`: starts the benchmark's own stack (one child process per
// service, ports BENCH_PORT_BASE+), runs the named scenarios (default: all) one after the other,
// prints their figures and writes bench/results/<scenario>.json and bench/results/README.md.
// Benchmarks print; they do not assert (issue 3). Ctrl-C stops the load, then every child.
import { join } from 'node:path';
import { startBenchStack, type BenchStack } from './bench-stack.js';
import { loadBenchConfig, type BenchConfig } from './config.js';
import { describeMachine, machineLine } from './machine.js';
import { RESULTS_DIR, writeResultsReadme, writeScenarioResult } from './results-writer.js';
import type { Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';
import { verdict } from './format.js';

const print = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
};

function selectScenarios(args: readonly string[]): Scenario[] {
  if (args.length === 0) return [...SCENARIOS];
  const byName = new Map(SCENARIOS.map((scenario) => [scenario.name, scenario]));
  const unknown = args.filter((name) => !byName.has(name));
  if (unknown.length > 0)
    fail(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return args.map((name) => byName.get(name)!);
}

async function main(): Promise<void> {
  const scenarios = selectScenarios(process.argv.slice(2));
  let config: BenchConfig;
  try {
    config = loadBenchConfig();
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const machine = describeMachine();
  const abort = new AbortController();
  let stack: BenchStack | undefined;
  let interrupted = false;

  // Children run in their own process groups (stack/child-process.ts): a Ctrl-C reaches only this
  // process, which must stop them. A second Ctrl-C kills them at once.
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      stack?.killNow();
      process.exit(130);
    }
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}: stopping the load and the stack (again to kill at once)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.once('exit', () => stack?.killNow());

  const logPath = join(RESULTS_DIR, 'stack.log');
  print(`bench: ${scenarios.map((s) => s.name).join(', ')} on ${machineLine(machine)}`);
  print(
    `bench: ${config.seedAccounts} accounts, ERP latency ${config.erpLatencyMs} ms, Salesforce ${config.salesforceLatencyMs} ms, ` +
      `ERP cap ${config.erpMaxInFlight}; services on ports ${config.portBase}+ (logs: ${logPath})`,
  );
  const started = Date.now();
  try {
    stack = await startBenchStack(config, logPath);
    print(`bench: emulators ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const scenario of scenarios) {
      if (abort.signal.aborted) break;
      print(`\n== ${scenario.name}: ${scenario.title}`);
      const invoices = scenario.erpInvoices?.(config);
      if (await stack.setErpInvoices(invoices))
        print(
          `  ERP emulator restarted with ${invoices === undefined ? "the seed's invoices" : `${invoices} invoices`}`,
        );
      const result = await scenario.run({ config, stack, machine, signal: abort.signal, print });
      if (abort.signal.aborted) {
        print(`bench: ${scenario.name} interrupted; its partial figures are not written`);
        break;
      }
      print('');
      for (const row of result.summary) print(`  ${row.label}: ${row.value}`);
      for (const target of result.targets)
        print(`  target: ${target.target}: ${target.measured} -> ${verdict(target.met)}`);
      print(`  written ${await writeScenarioResult(result)}`);
    }
    print(`\nbench: summary ${await writeResultsReadme(SCENARIOS.map((s) => s.name))}`);
  } catch (error) {
    if (abort.signal.aborted) print('bench: interrupted; the figures of the interrupted scenario are not written');
    else {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  } finally {
    await stack?.stop();
  }
  print(`bench: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(interrupted ? 130 : (process.exitCode ?? 0));
}

await main();
