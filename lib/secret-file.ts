// A secret kept in a file of the data folder, created on first use by whichever process needs it
// first (the development issuer's key, the identity-forwarding key). Several processes of the
// embedded stack start at once and must all end up with the same secret, so the file is created
// atomically: written in full under a temporary name (open with 'wx', mode 0600), then hard-linked
// to its final name, which fails with EEXIST when another process got there first; the loser reads
// the winner's file. A reader therefore never sees a half-written file.
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The content of `file`, creating it with `create()` when it does not exist yet. `parse` checks
 * the content (new or found) and turns it into the value; a file that does not parse is an error
 * naming the file (never silently replaced: another process may rely on it).
 */
export async function readOrCreateSecretFile<T>(
  file: string,
  create: () => Promise<string>,
  parse: (content: string) => T,
): Promise<T> {
  const existing = await readIfPresent(file);
  if (existing !== undefined) return parseOrExplain(file, existing, parse);

  // Only the owner reads secrets (0700 folder, 0600 file); an existing folder keeps its mode.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const content = await create();
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { flag: 'wx', mode: 0o600 });
  try {
    await link(temporary, file);
    return parseOrExplain(file, content, parse);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process created it between our read and our link: its secret wins.
    return parseOrExplain(file, await readFile(file, 'utf8'), parse);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOrExplain<T>(file: string, content: string, parse: (content: string) => T): T {
  try {
    return parse(content);
  } catch (error) {
    throw new Error(
      `${file} is not a valid key file (${error instanceof Error ? error.message : String(error)}); delete it to have a new one created`,
    );
  }
}
