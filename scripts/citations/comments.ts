// The prose of a file that may cite things: the comments of code (TypeScript and JavaScript through
// TypeScript's own scanner, so strings, templates and regular expressions are never mistaken for
// comments; `#` comments of shell and YAML; `/* */` of CSS; `<!-- -->` of HTML), and the whole text of
// Markdown and GraphQL files (their comments and descriptions are documentation, the rest is names).
// Each segment keeps its offset in the file, and comment markers are blanked to spaces of the same
// length, so a citation wrapped over two comment lines still reads as one phrase and every match maps
// back to its line.
import ts from 'typescript';

export interface Segment {
  /** Offset of `text` in the file. */
  readonly start: number;
  /** The comment or document text, markers replaced by spaces (same length as in the file). */
  readonly text: string;
}

export type FileKind = 'script' | 'markdown' | 'graphql' | 'hash-comments' | 'css' | 'html';

const SCRIPT_KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
};

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** How a file's prose is read, or null for files that cite nothing (JSON, lock files, images). */
export function fileKindOf(path: string, text: string): FileKind | null {
  const extension = extensionOf(path);
  if (extension in SCRIPT_KINDS) return 'script';
  if (extension === '.md') return 'markdown';
  if (extension === '.graphql' || extension === '.gql') return 'graphql';
  if (extension === '.yml' || extension === '.yaml' || extension === '.sh') return 'hash-comments';
  if (extension === '.css') return 'css';
  if (extension === '.html') return 'html';
  // Scripts without an extension (.ci/run): by their shebang.
  if (extension === '' && text.startsWith('#!')) return 'hash-comments';
  if (path.endsWith('.gitignore')) return 'hash-comments';
  return null;
}

/** The segments of `text` to search for citations (empty for kinds that hold none). */
export function proseSegments(path: string, text: string): Segment[] {
  switch (fileKindOf(path, text)) {
    case 'script':
      return scriptComments(path, text);
    case 'markdown':
    case 'graphql':
      return [{ start: 0, text }];
    case 'hash-comments':
      return hashComments(text);
    case 'css':
      return delimited(text, /\/\*[\s\S]*?\*\//g, '/*', '*/');
    case 'html':
      return delimited(text, /<!--[\s\S]*?-->/g, '<!--', '-->');
    case null:
      return [];
  }
}

/** Comment ranges of a TypeScript or JavaScript file, each once, in file order. */
function scriptComments(path: string, text: string): Segment[] {
  const kind = SCRIPT_KINDS[extensionOf(path)]!;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const ranges = new Map<number, ts.CommentRange>();
  const collect = (found: readonly ts.CommentRange[] | undefined) =>
    found?.forEach((range) => ranges.set(range.pos, range));
  // The shebang is trivia the comment APIs skip; nothing to cite there.
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.forEachChild(visit);
  };
  visit(source);
  // Comments after the last statement hang off the end-of-file token.
  collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
  // Consecutive line comments are one passage: a citation may wrap from one line to the next.
  const segments: Segment[] = [];
  let previous: ts.CommentRange | undefined;
  for (const range of [...ranges.values()].sort((a, b) => a.pos - b.pos)) {
    const masked = blankScriptMarkers(text.slice(range.pos, range.end), range.kind);
    const gap = previous === undefined ? '' : text.slice(previous.end, range.pos);
    const last = segments.at(-1);
    if (last && isLineComment(previous) && isLineComment(range) && /^[ \t]*\n[ \t]*$/.test(gap)) {
      segments[segments.length - 1] = { start: last.start, text: `${last.text}${gap}${masked}` };
    } else {
      segments.push({ start: range.pos, text: masked });
    }
    previous = range;
  }
  return segments;
}

function isLineComment(range: ts.CommentRange | undefined): boolean {
  return range?.kind === ts.SyntaxKind.SingleLineCommentTrivia;
}

/** Line-comment slashes, block-comment openers and closers, and the leading `*` of block-comment lines become spaces. */
function blankScriptMarkers(comment: string, kind: ts.CommentKind): string {
  const blank = (marker: string) => ' '.repeat(marker.length);
  if (kind === ts.SyntaxKind.SingleLineCommentTrivia) return comment.replace(/^\/\/+/, blank);
  return comment
    .replace(/^\/\*+/, blank)
    .replace(/\*+\/$/, blank)
    .replace(/(\n[ \t]*)\*(?!\/)/g, (_match, lead: string) => `${lead} `);
}

/** `#` comments: from a `#` at the start of a line or after whitespace, to the end of the line. */
function hashComments(text: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /(^|[ \t])#[^\n]*/gm;
  for (const match of text.matchAll(pattern)) {
    const start = match.index + match[1]!.length;
    const comment = match[0].slice(match[1]!.length);
    segments.push({ start, text: ` ${comment.slice(1)}` });
  }
  return segments;
}

function delimited(text: string, pattern: RegExp, open: string, close: string): Segment[] {
  return [...text.matchAll(pattern)].map((match) => ({
    start: match.index,
    text:
      ' '.repeat(open.length) + match[0].slice(open.length, match[0].length - close.length) + ' '.repeat(close.length),
  }));
}
