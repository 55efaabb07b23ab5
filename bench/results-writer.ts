// bench/results/: one JSON file per scenario (the latest run of it) and README.md, a short Markdown
// summary rebuilt from every scenario's latest JSON, so running one scenario refreshes its section
// and keeps the others.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verdict } from './format.js';
import { machineLine } from './machine.js';
import type { ScenarioResult } from './scenario.js';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export async function writeScenarioResult(result: ScenarioResult): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${result.scenario}.json`);
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

async function readLatest(scenario: string): Promise<ScenarioResult | null> {
  try {
    return JSON.parse(await readFile(join(RESULTS_DIR, `${scenario}.json`), 'utf8')) as ScenarioResult;
  } catch {
    return null;
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function section(result: ScenarioResult): string {
  const lines = [
    `## ${result.scenario}: ${result.title}`,
    '',
    `Measured ${result.finishedAt} on ${machineLine(result.machine)}.`,
    '',
    '| figure | value |',
    '|---|---|',
    ...result.summary.map((row) => `| ${cell(row.label)} | ${cell(row.value)} |`),
  ];
  if (result.targets.length > 0) {
    lines.push('', '| target (issue 3) | measured | |', '|---|---|---|');
    lines.push(...result.targets.map((t) => `| ${cell(t.target)} | ${cell(t.measured)} | ${verdict(t.met)} |`));
  }
  if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

/** Rebuilds README.md from the latest JSON of each scenario, in `order`. */
export async function writeResultsReadme(order: readonly string[]): Promise<string> {
  const results = (await Promise.all(order.map(readLatest))).filter((r): r is ScenarioResult => r !== null);
  const text = [
    '# Benchmark results (`npm run bench`)',
    '',
    'Latest figures per scenario (issue 3, "Benchmarks"); the raw numbers are in the JSON file of each',
    'scenario next to this file. Full stack on loopback, one process per service, the load generator',
    '(autocannon) in the benchmark process. On a 2-core machine the load generator, the gateway, both',
    'subgraphs and both emulators compete for the same cores: throughput and latency figures are',
    'those of the whole stack sharing the machine, not of the gateway alone. Request counts and',
    'in-flight maxima are read from the emulators (`/__emulator/stats`).',
    '',
    'For scale only (not comparable: different query, subgraphs without backend latency, more cores):',
    "The Guild's gateway benchmark measured @apollo/gateway at 91 requests/s (50 users, 60 s, gateway on",
    '3 cores of a 4-vCPU VM) and 281 requests/s on a Ryzen 7 (see shared/reference/federation-anchors.md).',
    '',
    ...results.flatMap((result) => [section(result), '']),
  ].join('\n');
  const path = join(RESULTS_DIR, 'README.md');
  await writeFile(path, text);
  return path;
}
