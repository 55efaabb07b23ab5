// Finds the citations of one file that a reader of the repository cannot follow:
//
// - outside: something that is not in the repository at all: the design page and the notes once kept
//   beside it, the shared folder of reference notes next to the checkout, or a tracker issue number.
//   The repository must read whole on its own (docs/decisions/0040-repo-reads-whole-citations-checked.md).
// - broken: a repository path that does not exist (a folder at the top of the repository followed by
//   a path, or a path starting with ./ or ../), a Markdown link or anchor that leads nowhere, or a
//   quoted section of a Markdown file (`README, "Quote to order"`) that has no such heading.
//
// Paths are checked only when they start at a top-level folder of the repository (or are relative),
// so vendor paths quoted in comments (a jsforce source file, a Business Central docs page) are left
// alone. Paths the repository ignores on purpose (build output, the data folder) count as existing.
import { posix } from 'node:path';
import { proseSegments, type Segment } from './comments.js';
import type { RepoIndex } from './repo-index.js';

export type FindingKind = 'outside' | 'broken';

export type FindingRule =
  'design-page' | 'notes' | 'shared-folder' | 'tracker-issue' | 'path' | 'link' | 'anchor' | 'section';

export interface Finding {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly kind: FindingKind;
  readonly rule: FindingRule;
  /** The citation as written (whitespace collapsed). */
  readonly cited: string;
  readonly message: string;
}

interface OutsidePattern {
  readonly rule: FindingRule;
  readonly pattern: RegExp;
  readonly message: string;
}

const OUTSIDE_PATTERNS: readonly OutsidePattern[] = [
  {
    rule: 'design-page',
    pattern: /\bDESIGN(?:\.md)?\b/g,
    message: 'cites the design page kept outside the repository',
  },
  { rule: 'notes', pattern: /(?<![\w/.-])notes\/[\w./-]*/g, message: 'cites notes that are not in the repository' },
  {
    rule: 'notes',
    pattern: /\bconfig[- ]contract(?:\.md)?\b/gi,
    message: 'cites the configuration notes that are not in the repository',
  },
  { rule: 'notes', pattern: /(?<![\w/.-])contracts\.md\b/g, message: 'cites notes that are not in the repository' },
  {
    rule: 'shared-folder',
    pattern: /(?<![\w/.-])(?:shared\/(?:reference|seeds)\b(?:\/[\w.-]+)?|(?:reference|seeds)\/[\w.-]+\.(?:md|txt)\b)/g,
    message: 'cites a reference note of the shared folder outside the repository',
  },
  { rule: 'tracker-issue', pattern: /\b[Ii]ssues?\s+#?\d+\b/g, message: 'cites a tracker issue number' },
  { rule: 'tracker-issue', pattern: /(?<![\w&#/])#\d{1,5}(?![\w-])/g, message: 'cites a tracker issue number' },
];

/** A repository-style path: parts separated by `/`, with `*`, `<placeholder>` or `{placeholder}` allowed. */
const PATH_CANDIDATE = /(?<![\w@/.$:~-])((?:\.\.?\/)*[\w.][\w.-]*(?:\/[\w.*<>{}-]+)+\/?)/g;
/** URLs are the vendor's business, not paths of ours. */
const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]"'`]+/gi;
const MARKDOWN_LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const SECTION = /(?<![\w/.-])((?:[\w.-]+\/)*[\w.-]+\.md|README)(?:'s)?,?\s+(?:section\s+)?["“]([^"”]{1,100})["”]/g;

export function findCitations(file: string, text: string, index: RepoIndex): Finding[] {
  const lines = lineStarts(text);
  const lineOf = (offset: number) => lineAt(lines, offset);
  const markdown = file.toLowerCase().endsWith('.md');
  const found: Array<{ readonly offset: number; readonly finding: Finding }> = [];
  const add = (offset: number, kind: FindingKind, rule: FindingRule, cited: string, message: string) =>
    found.push({
      offset,
      finding: { file, line: lineOf(offset), kind, rule, cited: cited.replace(/\s+/g, ' ').trim(), message },
    });

  for (const segment of proseSegments(file, text)) {
    let prose = blank(segment.text, URL);
    // One citation, one finding: a citation may match two of the patterns.
    const claimed: Array<readonly [number, number]> = [];
    for (const { rule, pattern, message } of OUTSIDE_PATTERNS) {
      for (const match of prose.matchAll(pattern)) {
        const [from, to] = [match.index, match.index + match[0].length];
        if (claimed.some(([start, end]) => from < end && start < to)) continue;
        if (rule === 'shared-folder' && !match[0].startsWith('shared/') && index.exists(match[0])) continue;
        claimed.push([from, to]);
        add(segment.start + from, 'outside', rule, match[0], message);
      }
    }
    if (markdown) prose = checkLinks(file, segment, prose, index, add);
    checkSections(file, segment, prose, index, add);
    checkPaths(file, segment, prose, index, add);
  }
  // In the order they appear in the file.
  return found.sort((a, b) => a.offset - b.offset).map(({ finding }) => finding);
}

type Add = (offset: number, kind: FindingKind, rule: FindingRule, cited: string, message: string) => void;

/** Markdown link targets: the file must exist, and an anchor must be one of its headings. Returns the prose with the targets blanked. */
function checkLinks(file: string, segment: Segment, prose: string, index: RepoIndex, add: Add): string {
  for (const match of prose.matchAll(MARKDOWN_LINK)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const offset = segment.start + match.index;
    const [pathPart = '', anchor] = target.split('#', 2);
    const resolved = pathPart === '' ? file : resolveFrom(file, pathPart);
    if (resolved === null) {
      add(offset, 'outside', 'shared-folder', target, 'links to a file outside the repository');
      continue;
    }
    if (!index.exists(resolved) && !index.isIgnored(resolved)) {
      add(offset, 'broken', 'link', target, `links to ${resolved}, which does not exist`);
      continue;
    }
    if (anchor !== undefined && anchor !== '' && resolved.toLowerCase().endsWith('.md')) {
      const anchors = index.anchorsOf(resolved);
      if (anchors !== undefined && !anchors.has(decodeURIComponent(anchor).toLowerCase())) {
        add(offset, 'broken', 'anchor', target, `links to #${anchor}, which is no heading of ${resolved}`);
      }
    }
  }
  return blank(prose, MARKDOWN_LINK);
}

/** `README, "Quote to order"`, `docs/architecture.md "Layers"`: the quoted section must be a heading there. */
function checkSections(file: string, segment: Segment, prose: string, index: RepoIndex, add: Add): void {
  for (const match of prose.matchAll(SECTION)) {
    const document = match[1] === 'README' ? 'README.md' : match[1]!;
    const path = resolveDocument(file, document, index);
    if (path === null) continue;
    const headings = index.headingsOf(path);
    if (headings === undefined) continue;
    const wanted = match[2]!.replace(/`/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
    if (!headings.some((heading) => heading.startsWith(wanted))) {
      const section = match[2]!.replace(/\s+/g, ' ').trim();
      add(
        segment.start + match.index,
        'broken',
        'section',
        match[0],
        `cites the section "${section}" of ${path}, which has no such heading`,
      );
    }
  }
}

function checkPaths(file: string, segment: Segment, prose: string, index: RepoIndex, add: Add): void {
  for (const match of prose.matchAll(PATH_CANDIDATE)) {
    const cited = continued(match[1]!, prose.slice(match.index + match[0].length)).replace(/[.]+$/, '');
    const offset = segment.start + match.index;
    const relative = cited.startsWith('./') || cited.startsWith('../');
    if (!relative && !index.topLevelFolders.has(cited.slice(0, cited.indexOf('/')))) continue;
    const resolved = relative ? resolveFrom(file, cited) : posix.normalize(cited);
    // A relative path into a `shared` folder that is not one of ours: the folder beside the checkout.
    if (resolved === null || (relative && /(^|\/)shared(\/|$)/.test(cited) && !moduleExists(index, resolved))) {
      add(offset, 'outside', 'shared-folder', cited, 'cites a path outside the repository');
      continue;
    }
    if (!moduleExists(index, resolved) && !index.isIgnored(resolved)) {
      add(
        offset,
        'broken',
        'path',
        cited,
        relative ? `cites ${resolved}, which does not exist` : 'cites a path that does not exist',
      );
    }
  }
}

/** A path hyphenated at the end of a comment line goes on at the start of the next line. */
function continued(path: string, after: string): string {
  if (!path.endsWith('-')) return path;
  const next = /^[ \t]*\n\s*([\w.*<>{}/-]+)/.exec(after);
  return next ? `${path}${next[1]}` : path;
}

/**
 * A path as code names modules: the file itself, or (ES module specifiers under NodeNext) the `.ts`
 * file a `.js` specifier stands for, or the `.ts`/`.js` file of an extensionless one.
 */
function moduleExists(index: RepoIndex, path: string): boolean {
  if (index.exists(path)) return true;
  if (path.endsWith('.js')) return index.exists(`${path.slice(0, -3)}.ts`);
  if (!/\.[\w]+$/.test(path.slice(path.lastIndexOf('/') + 1)))
    return index.exists(`${path}.ts`) || index.exists(`${path}.js`);
  return false;
}

/** A path relative to `file`'s folder, repository-relative; null when it leaves the repository. */
function resolveFrom(file: string, path: string): string | null {
  const resolved = path.startsWith('/')
    ? posix.normalize(path.slice(1))
    : posix.normalize(posix.join(posix.dirname(file), path));
  return resolved === '..' || resolved.startsWith('../') ? null : resolved;
}

/** A Markdown file named in a citation: from the repository root, else beside the citing file. */
function resolveDocument(file: string, document: string, index: RepoIndex): string | null {
  if (index.exists(document)) return posix.normalize(document);
  const beside = resolveFrom(file, document);
  return beside !== null && index.exists(beside) ? beside : null;
}

/** The text with every match of `pattern` replaced by spaces (offsets and newlines kept). */
function blank(text: string, pattern: RegExp): string {
  return text.replace(pattern, (found) => found.replace(/[^\n]/g, ' '));
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}
