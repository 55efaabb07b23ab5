// The citation check (scripts/check-citations.ts, rules in scripts/citations/): which comments and
// documents it reads, what it reports as broken or outside, and what it leaves alone; then the
// command itself on small git repositories, with the modes CI uses (strict, --allow-outside,
// --baseline, --report). The citations under test are built in strings: string literals are not
// comments, so this file itself cites nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { proseSegments } from '../../scripts/citations/comments.js';
import { findCitations, type Finding } from '../../scripts/citations/find.js';
import { gitRepoSource } from '../../scripts/citations/git-source.js';
import { createRepoIndex, githubSlug, type RepoIndex } from '../../scripts/citations/repo-index.js';
import { createTempDir } from '../support/temp-dir.js';

const REPO_FILES: Record<string, string> = {
  'README.md': '# Project\n\n## Quote to order\n\n## Errors clients can rely on\n',
  'gateway/config.ts': '',
  'gateway/odata/router.ts': '',
  'schema/erp.graphql': '',
  'schema/salesforce.graphql': '',
  'subgraphs/erp/loaders.ts': '',
  'subgraphs/shared/loaders.ts': '',
  'subgraphs/shared/partner-scope.ts': '',
  'bench/results/odata.json': '',
  'lib/identity-forwarding.ts': '',
  'docs/architecture.md':
    '# Architecture\n\n## Layers and import rules\n\n### 5. The shield\n\n## Layers and import rules\n',
  'docs/decisions/0001-static-supergraph.md': '# 0001. A static supergraph\n',
};

function index(
  files: Record<string, string> = REPO_FILES,
  ignored: readonly string[] = ['app/dist', 'data'],
): RepoIndex {
  return createRepoIndex({
    files: Object.keys(files),
    read: (path) => files[path],
    isIgnored: (path) => ignored.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
  });
}

function cited(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.kind}:${finding.rule}:${finding.cited}`);
}

describe('what is read', () => {
  it('reads the comments of TypeScript, never its strings, templates or regular expressions', () => {
    const source = [
      "const url = 'see DESIGN.md and gateway/nope.ts'; // a comment citing DESIGN.md",
      'const pattern = /https?:\\/\\/x\\/\\* not a comment/;',
      'const template = `/* issue 5 */ ${url}`;',
      '/** JSDoc citing issue 6. */',
      'export const value = pattern.test(template);',
    ].join('\n');
    const prose = proseSegments('lib/example.ts', source).map((segment) => segment.text.trim());
    expect(prose).toEqual(['a comment citing DESIGN.md', 'JSDoc citing issue 6.']);
    expect(cited(findCitations('lib/example.ts', source, index()))).toEqual([
      'outside:design-page:DESIGN.md',
      'outside:tracker-issue:issue 6',
    ]);
  });

  it('keeps every segment at its offset, so findings carry their line', () => {
    const source = 'const a = 1;\n\n// fine\nconst b = 2; // cites issue 12\n';
    const findings = findCitations('gateway/example.ts', source, index());
    expect(findings).toMatchObject([{ line: 4, kind: 'outside', rule: 'tracker-issue', cited: 'issue 12' }]);
  });

  it('reads Markdown and GraphQL whole, and the comments of YAML, shell scripts, CSS and HTML', () => {
    expect(cited(findCitations('docs/x.md', 'See DESIGN.md.\n', index()))).toEqual(['outside:design-page:DESIGN.md']);
    expect(
      cited(
        findCitations(
          'schema/x.graphql',
          '# issue 4\n"""Docs citing notes/contracts.md"""\ntype A { a: Int }\n',
          index(),
        ),
      ),
    ).toEqual(['outside:tracker-issue:issue 4', 'outside:notes:notes/contracts.md']);
    expect(cited(findCitations('codegen.yml', "a: 'issue 1' # issue 2\nb: x.js#Type\n", index()))).toEqual([
      'outside:tracker-issue:issue 2',
    ]);
    expect(
      cited(findCitations('.ci/run', '#!/usr/bin/env bash\n# needs ../shared beside it\necho "issue 3"\n', index())),
    ).toEqual(['outside:shared-folder:../shared']);
    expect(cited(findCitations('app/x.css', '/* issue 7 */\n.a { color: #181818; }\n', index()))).toEqual([
      'outside:tracker-issue:issue 7',
    ]);
    expect(cited(findCitations('app/x.html', '<!-- issue 8 --><p>issue 9</p>\n', index()))).toEqual([
      'outside:tracker-issue:issue 8',
    ]);
    expect(findCitations('clients/x.json', '{"a": "DESIGN.md"}', index())).toEqual([]);
  });
});

describe('outside citations', () => {
  const check = (comment: string) => cited(findCitations('gateway/example.ts', `// ${comment}\nexport {};\n`, index()));

  it('reports the design page, its notes, the shared folder and tracker issues', () => {
    expect(check('(DESIGN.md "Access")')).toEqual(['outside:design-page:DESIGN.md']);
    expect(check('the notes/config-contract.md names')).toEqual(['outside:notes:notes/config-contract.md']);
    expect(check('(config contract, "Connector construction")')).toEqual(['outside:notes:config contract']);
    expect(check('(shared/reference/federation-anchors.md)')).toEqual([
      'outside:shared-folder:shared/reference/federation-anchors.md',
    ]);
    expect(check('(reference/salesforce-connect-odata.md)')).toEqual([
      'outside:shared-folder:reference/salesforce-connect-odata.md',
    ]);
    expect(check('as precedence (shared/reference): flattened')).toEqual(['outside:shared-folder:shared/reference']);
    expect(check('see ../../../shared/DESIGN.md')).toEqual([
      'outside:shared-folder:../../../shared/DESIGN.md',
      'outside:design-page:DESIGN.md',
    ]);
    expect(check("(issue 5, item 2) and Issue 3's target")).toEqual([
      'outside:tracker-issue:issue 5',
      'outside:tracker-issue:Issue 3',
    ]);
    expect(check('fixed in #12')).toEqual(['outside:tracker-issue:#12']);
  });

  it('leaves alone what only looks like one', () => {
    expect(check('by design, PKCS#1 keys, color #181818, docs.md#5-the-shield, a design decision')).toEqual([]);
    expect(check('see subgraphs/shared/loaders.ts and https://github.com/acme/repo/issues/12')).toEqual([]);
    const relative = findCitations('subgraphs/erp/loaders.ts', '// see ../shared/loaders.ts for why\n', index());
    expect(relative).toEqual([]);
  });
});

describe('broken citations', () => {
  const check = (comment: string, file = 'gateway/example.ts', files = REPO_FILES) =>
    cited(findCitations(file, `// ${comment}\nexport {};\n`, index(files)));

  it('reports a repository path that does not exist', () => {
    expect(check('see gateway/nope.ts and gateway/config.ts.')).toEqual(['broken:path:gateway/nope.ts']);
    expect(check('(./odata/missing.ts)')).toEqual(['broken:path:./odata/missing.ts']);
    expect(check('schema/*.graphql and schema/*.sdl')).toEqual(['broken:path:schema/*.sdl']);
  });

  it('accepts folders, globs, placeholders, module specifiers and ignored output', () => {
    expect(check('gateway/odata/, bench/results/<scenario>.json, subgraphs/*/loaders.ts, docs/decisions/')).toEqual([]);
    expect(check('lib/identity-forwarding (the module), ./odata/router.js, ../lib/identity-forwarding.js')).toEqual([]);
    expect(check('built into app/dist/console.js, kept in ../data/auth/')).toEqual([]);
  });

  it('checks only paths that start at a top-level folder of the repository', () => {
    expect(
      check('jsforce src/http-api.ts, dev-itpro/api-reference/v2.0/resources/, @apollo/gateway/dist/x.js'),
    ).toEqual([]);
  });

  it('follows a path hyphenated across two comment lines', () => {
    const files = { ...REPO_FILES, 'gateway/persisted-operations/plugin.ts': '' };
    const wrapped = (path: string) =>
      cited(findCitations('test/x.test.ts', `// only ${path}-\n// operations); the rest\nexport {};\n`, index(files)));
    expect(wrapped('gateway/persisted')).toEqual([]);
    expect(wrapped('gateway/persistent')).toEqual(['broken:path:gateway/persistent-operations']);
  });

  it('reports a quoted section that is no heading of the file it names, even wrapped over lines', () => {
    expect(check('(README, "Quote to order")')).toEqual([]);
    expect(check('(README, "Errors clients can\n// rely on")')).toEqual([]);
    expect(check('(docs/architecture.md, "Layers")')).toEqual([]);
    expect(check('(README "Access control")')).toEqual(['broken:section:README "Access control"']);
  });

  it('checks Markdown links and their anchors', () => {
    const markdown = [
      '[ok](architecture.md#layers-and-import-rules) [numbered](architecture.md#5-the-shield)',
      '[second](architecture.md#layers-and-import-rules-1) [record](decisions/0001-static-supergraph.md)',
      '[gone](decisions/0002-missing.md) [no anchor](architecture.md#nowhere) [here](#nowhere-here)',
      '[away](../../shared/DESIGN.md) [web](https://example.com/docs/x.md)',
    ].join('\n');
    expect(cited(findCitations('docs/architecture.md', markdown, index()))).toEqual([
      'broken:link:decisions/0002-missing.md',
      'broken:anchor:architecture.md#nowhere',
      'broken:anchor:#nowhere-here',
      'outside:shared-folder:../../shared/DESIGN.md',
      'outside:design-page:DESIGN.md',
    ]);
  });

  it('makes anchors the way GitHub does', () => {
    expect(githubSlug('Walkthrough: a read-only field from a new ERP entity')).toBe(
      'walkthrough-a-read-only-field-from-a-new-erp-entity',
    );
    expect(githubSlug('5. The shield')).toBe('5-the-shield');
    expect(githubSlug('`asOf` and `stale`')).toBe('asof-and-stale');
  });
});

describe('the docs of this repository', () => {
  it('cite nothing outside the repository and nothing that does not exist', () => {
    const source = gitRepoSource(fileURLToPath(new URL('../..', import.meta.url)));
    const repo = createRepoIndex(source);
    const docs = source.files.filter((file) => file.startsWith('docs/'));
    expect(docs.length).toBeGreaterThan(3);
    expect(docs.flatMap((file) => findCitations(file, source.read(file)!, repo))).toEqual([]);
  });
});

// Each run starts tsx and TypeScript's scanner: seconds apiece on a busy two-core machine.
describe('npm run check:citations', { timeout: 90_000 }, () => {
  const script = fileURLToPath(new URL('../../scripts/check-citations.ts', import.meta.url));
  const repos = createTempDir('citations');
  afterAll(() => repos.remove());
  let count = 0;

  function repository(files: Record<string, string>): string {
    const root = join(repos.path, `repo-${++count}`);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    spawnSync('git', ['init', '-q', root]);
    return root;
  }

  function run(root: string, ...args: string[]) {
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, '--root', root, ...args], {
      encoding: 'utf8',
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  const clean = { 'gateway/a.ts': '// see gateway/b.ts\nexport {};\n', 'gateway/b.ts': '', '.gitignore': 'dist/\n' };
  const outside = { ...clean, 'gateway/c.ts': '// (issue 5)\nexport {};\n' };
  const broken = { ...clean, 'gateway/d.ts': '// see gateway/gone.ts\nexport {};\n' };

  it('passes a repository whose citations all resolve (ignored output included)', () => {
    const result = run(repository({ ...clean, 'gateway/e.ts': '// built into dist/app.js and dist/\nexport {};\n' }));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on an outside citation, unless --allow-outside counts it instead', () => {
    const root = repository(outside);
    const strict = run(root);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('gateway/c.ts:1: outside (tracker-issue) "issue 5"');
    const allowed = run(root, '--allow-outside');
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain('1 citation(s) of things outside the repository in 1 file(s)');
  });

  it('fails on a broken citation whatever the flags, unless the baseline lists it', () => {
    const root = repository({ ...broken, 'known.tsv': '# known\ngateway/d.ts\tpath\tgateway/gone.ts\n' });
    const allowed = run(root, '--allow-outside');
    expect(allowed.status).toBe(1);
    expect(allowed.stderr).toContain('gateway/d.ts:1: broken (path) "gateway/gone.ts"');
    expect(run(root, '--allow-outside', '--baseline', 'known.tsv').status).toBe(0);
    writeFileSync(join(root, 'gateway/f.ts'), '// and gateway/also-gone.ts\nexport {};\n');
    const added = run(root, '--allow-outside', '--baseline', 'known.tsv');
    expect(added.status).toBe(1);
    expect(added.stderr).toContain('gateway/also-gone.ts');
    expect(added.stderr).not.toContain('"gateway/gone.ts"');
  });

  it('says when a baseline entry is fixed, and refuses a malformed baseline', () => {
    const root = repository({
      ...clean,
      'known.tsv': 'gateway/d.ts\tpath\tgateway/gone.ts\n',
      'bad.tsv': 'gateway/d.ts gone\n',
    });
    const fixed = run(root, '--baseline', 'known.tsv');
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toContain('fixed, remove it from the baseline: gateway/d.ts | path | gateway/gone.ts');
    const bad = run(root, '--baseline', 'bad.tsv');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.tsv:1: expected file, rule and cited, separated by tabs');
  });

  it('--report lists every finding, tab-separated, and never fails', () => {
    const result = run(repository({ ...outside, 'gateway/d.ts': '// see gateway/gone.ts\nexport {};\n' }), '--report');
    expect(result.status).toBe(0);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t').slice(0, 4)),
    ).toEqual([
      ['gateway/c.ts:1', 'outside', 'tracker-issue', 'issue 5'],
      ['gateway/d.ts:1', 'broken', 'path', 'gateway/gone.ts'],
    ]);
  });

  it('refuses an unknown option with its usage', () => {
    const result = run(repository(clean), '--strict');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run check:citations');
  });
});
