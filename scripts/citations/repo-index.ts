// What exists in the repository, for checking citations against: its files and folders (globs and
// placeholders such as `schema/*.graphql` or `bench/results/<scenario>.json` allowed), the paths it
// ignores on purpose (build output, data), and the headings of its Markdown files, by their GitHub
// anchors. Built from plain inputs, so tests describe a repository without touching the disk.
import { posix } from 'node:path';

export interface RepoSource {
  /** Every file of the repository, as repository-relative POSIX paths. */
  readonly files: readonly string[];
  /** A file's text (Markdown files are read for their headings); undefined when unreadable. */
  read(path: string): string | undefined;
  /** Whether a path is one the repository ignores on purpose (.gitignore: build output, data). */
  isIgnored(path: string): boolean;
}

export interface RepoIndex {
  /** The top-level folders: a path starting with one of them is a repository path. */
  readonly topLevelFolders: ReadonlySet<string>;
  /** Whether a repository-relative path (a file or a folder; `*`, `<x>` and `{x}` match one name part) exists. */
  exists(path: string): boolean;
  isIgnored(path: string): boolean;
  /** The anchors of a Markdown file's headings (GitHub's slugs), or undefined when it is not a file. */
  anchorsOf(path: string): ReadonlySet<string> | undefined;
  /** The text of a Markdown file's headings, lower case, whitespace collapsed. */
  headingsOf(path: string): readonly string[] | undefined;
}

const WILDCARD = /[*<>{}]/;

export function createRepoIndex(source: RepoSource): RepoIndex {
  const files = new Set(source.files);
  const folders = new Set<string>();
  for (const file of source.files) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1))
      folders.add(file.slice(0, slash));
  }
  const topLevelFolders = new Set([...folders].filter((folder) => !folder.includes('/')));
  const all = [...files, ...folders];
  const headings = new Map<string, { anchors: Set<string>; texts: string[] } | undefined>();

  const headingInfo = (path: string) => {
    if (!headings.has(path)) {
      const text = files.has(path) ? source.read(path) : undefined;
      headings.set(path, text === undefined ? undefined : markdownHeadings(text));
    }
    return headings.get(path);
  };

  return {
    topLevelFolders,
    exists(path) {
      const normalized = posix.normalize(path).replace(/\/+$/, '');
      if (normalized === '' || normalized === '.') return true;
      if (!WILDCARD.test(normalized)) return files.has(normalized) || folders.has(normalized);
      const pattern = globPattern(normalized);
      return all.some((candidate) => pattern.test(candidate));
    },
    isIgnored: (path) => source.isIgnored(path),
    anchorsOf: (path) => headingInfo(path)?.anchors,
    headingsOf: (path) => headingInfo(path)?.texts,
  };
}

/** `*` and a `<placeholder>` or `{placeholder}` stand for one path part or a piece of one. */
function globPattern(path: string): RegExp {
  const source = path
    .split(/(\*|<[^>/]*>|\{[^}/]*\})/)
    .map((part, index) => (index % 2 === 1 ? '[^/]+' : part.replace(/[.+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function markdownHeadings(text: string): { anchors: Set<string>; texts: string[] } {
  const anchors = new Set<string>();
  const texts: string[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) continue;
    const heading = match[1]!;
    texts.push(heading.replace(/`/g, '').replace(/\s+/g, ' ').toLowerCase());
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return { anchors, texts };
}
