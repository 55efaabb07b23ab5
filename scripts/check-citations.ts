// `npm run check:citations` (CI): fails when a comment or a document of the repository cites what a
// reader of the repository cannot follow: a repository path, Markdown link, anchor or README section
// that does not exist (broken), or something outside the repository: the design page and notes once
// kept beside it, the shared folder of reference notes, a tracker issue number (outside). The rules
// are in scripts/citations/find.ts; the decision in docs/decisions/0040-repo-reads-whole-citations-checked.md.
//
//   npm run check:citations                    every finding fails
//   npm run check:citations -- --allow-outside broken citations fail; outside ones are counted only
//   npm run check:citations -- --report        every finding, one per line (file:line, kind, rule,
//                                              cited, message; tab-separated); never fails
//   --baseline <file>                          tolerate the findings listed there (file, rule, cited;
//                                              tab-separated), known ones awaiting their fix
//   --root <folder>                            check another checkout (tests); default: this one
//
// The files are those git knows (tracked, and new ones not ignored), read from the working tree
// (scripts/citations/git-source.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findCitations, type Finding } from './citations/find.js';
import { gitRepoSource } from './citations/git-source.js';
import { createRepoIndex } from './citations/repo-index.js';

const USAGE = 'usage: npm run check:citations -- [--allow-outside] [--report] [--baseline <file>] [--root <folder>]';

interface Options {
  readonly allowOutside: boolean;
  readonly report: boolean;
  readonly root: string;
  readonly baseline: string | undefined;
}

function options(argv: string[]): Options | string {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'allow-outside': { type: 'boolean', default: false },
        report: { type: 'boolean', default: false },
        root: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
        baseline: { type: 'string' },
      },
    });
    const root = path.resolve(values.root!);
    return {
      allowOutside: values['allow-outside'] === true,
      report: values.report === true,
      root,
      baseline: values.baseline === undefined ? undefined : path.resolve(root, values.baseline),
    };
  } catch (error) {
    return (error as Error).message;
  }
}

function checkRepository(root: string): Finding[] {
  const source = gitRepoSource(root);
  const index = createRepoIndex(source);
  return source.files.flatMap((file) => {
    const text = source.read(file);
    // Binary files and files that cannot be read hold no prose.
    return text === undefined || text.includes('\0') ? [] : findCitations(file, text, index);
  });
}

/** A baseline: `file<TAB>rule<TAB>cited` per line; blank lines and `#` lines are skipped. */
function readBaseline(file: string): Set<string> | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read the baseline ${file}: ${(error as Error).message}`;
  }
  const entries = new Set<string>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split('\t');
    if (fields.length !== 3) return `${file}:${index + 1}: expected file, rule and cited, separated by tabs`;
    entries.add(line);
  }
  return entries;
}

const baselineKey = (finding: Finding) => `${finding.file}\t${finding.rule}\t${finding.cited}`;

function describe(finding: Finding): string {
  return `${finding.file}:${finding.line}: ${finding.kind} (${finding.rule}) ${JSON.stringify(finding.cited)}: ${finding.message}`;
}

function main(): number {
  const parsed = options(process.argv.slice(2));
  if (typeof parsed === 'string') {
    process.stderr.write(`check:citations: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  const baseline = parsed.baseline === undefined ? new Set<string>() : readBaseline(parsed.baseline);
  if (typeof baseline === 'string') {
    process.stderr.write(`check:citations: ${baseline}\n`);
    return 2;
  }
  const all = checkRepository(parsed.root);
  const findings = all.filter((finding) => !baseline.has(baselineKey(finding)));
  const found = new Set(all.map(baselineKey));
  for (const entry of baseline) {
    if (!found.has(entry))
      process.stdout.write(`check:citations: fixed, remove it from the baseline: ${entry.replace(/\t/g, ' | ')}\n`);
  }
  if (parsed.report) {
    for (const f of findings)
      process.stdout.write(`${f.file}:${f.line}\t${f.kind}\t${f.rule}\t${f.cited}\t${f.message}\n`);
    process.stderr.write(`${findings.length} citation(s) found\n`);
    return 0;
  }
  const broken = findings.filter((finding) => finding.kind === 'broken');
  const outside = findings.filter((finding) => finding.kind === 'outside');
  const failing = parsed.allowOutside ? broken : findings;
  for (const finding of failing) process.stderr.write(`${describe(finding)}\n`);
  if (parsed.allowOutside && outside.length > 0) {
    const files = new Set(outside.map((finding) => finding.file)).size;
    process.stdout.write(
      `check:citations: ${outside.length} citation(s) of things outside the repository in ${files} file(s), allowed by --allow-outside ` +
        '(list them with `npm run check:citations -- --report`)\n',
    );
  }
  if (failing.length > 0) {
    process.stderr.write(
      `check:citations: ${failing.length} citation(s) a reader of the repository cannot follow: cite a repository path, ` +
        'a vendor document or a decision record (docs/decisions/) instead\n',
    );
    return 1;
  }
  process.stdout.write(`check:citations: no ${parsed.allowOutside ? 'broken ' : ''}citations\n`);
  return 0;
}

process.exitCode = main();
