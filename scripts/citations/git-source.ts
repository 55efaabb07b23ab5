// The repository as git knows it, for the citation check: tracked files still on disk and new files
// git does not ignore, read from the working tree, and git's own answer to "is this path ignored?"
// (so build output and data folders named in comments count as existing).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RepoSource } from './repo-index.js';

export function gitRepoSource(root: string): RepoSource {
  const listed = execFileSync('git', ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = [...new Set(listed.split('\0').filter((file) => file !== ''))]
    .filter((file) => existsSync(path.join(root, file)))
    .sort();
  const ignored = new Map<string, boolean>();
  return {
    files,
    read(file) {
      try {
        return readFileSync(path.join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    isIgnored(file) {
      if (!ignored.has(file)) {
        const bare = file.replace(/\/+$/, '');
        // A pattern such as `dist/` matches folders only: ask for the path as a folder too.
        const answer = [bare, `${bare}/`].some(
          (candidate) => spawnSync('git', ['-C', root, 'check-ignore', '-q', '--no-index', candidate]).status === 0,
        );
        ignored.set(file, answer);
      }
      return ignored.get(file)!;
    },
  };
}
