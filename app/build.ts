// Builds the Customer 360 console (app/src) into app/dist with the open-source LWC compiler
// (@lwc/rollup-plugin) through rollup's JS API: `npm run build:app`; `npm start` runs it first
// (prestart) and the console's browser test runs it in its setup, so a fresh clone needs no extra
// step. app/dist is not committed: it is built output, like node_modules.
//
// Output: dist/console.js (+ .map), the whole app with the LWC engine, and dist/page.css. The
// gateway serves them at /app (gateway/console.ts) under URLs carrying their hash, cached for good.
// Not minified (no minifier is installed): about 400 KB, loaded once per version.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import lwc from '@lwc/rollup-plugin';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replacePlugin from '@rollup/plugin-replace';
// `rollup` is installed as @rollup/wasm-node (package.json alias and override): the native build
// lists a platform package per OS as optional dependencies, the registry our CI uses lacks most of
// them, and `npm ci` then refuses the lock file as out of sync. The WASM build has none and bundles
// the same output.
import { rollup, type Plugin } from 'rollup';
import ts from 'typescript';

const APP_DIR = fileURLToPath(new URL('./', import.meta.url));
const REPOSITORY_ROOT = path.resolve(APP_DIR, '..');
const SOURCE_DIR = path.join(APP_DIR, 'src');
const MODULES_DIR = path.join(SOURCE_DIR, 'modules');
/** Where the console's build goes; gateway/console.ts reads it from here. */
export const APP_DIST_DIR = path.join(APP_DIR, 'dist');
export const APP_BUNDLE = 'console.js';
export const APP_STYLESHEET = 'page.css';

// @rollup/plugin-replace's types describe a CommonJS module (no "type": "module" beside them), so
// under NodeNext TypeScript sees the default import as the module object; at run time Node loads
// its ESM build, whose default export is the plugin function.
const replace = replacePlugin as unknown as typeof replacePlugin.default;

/**
 * The console imports the documents graphql-codegen generates (clients/__generated__/*.ts) with
 * the repository's NodeNext spelling (`…/graphql.js`). Rollup has no TypeScript of its own here:
 * resolve such a `.js` to its `.ts` sibling and strip the types with TypeScript's transpiler
 * (type-only imports vanish; the documents are plain objects).
 */
function generatedTypeScript(): Plugin {
  return {
    name: 'c360-generated-typescript',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const resolved = path.resolve(path.dirname(importer), source);
      const typescriptFile = `${resolved.slice(0, -'.js'.length)}.ts`;
      return !existsSync(resolved) && existsSync(typescriptFile) ? typescriptFile : null;
    },
    async load(id) {
      if (!id.endsWith('.ts')) return null;
      const source = await readFile(id, 'utf8');
      const { outputText, sourceMapText } = ts.transpileModule(source, {
        fileName: id,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
      });
      return { code: outputText, map: sourceMapText ?? null };
    },
  };
}

export interface BuildResult {
  readonly outDir: string;
  readonly files: readonly string[];
}

/** Compiles app/src into `outDir` (default app/dist), replacing what was there. */
export async function buildApp(options: { outDir?: string } = {}): Promise<BuildResult> {
  const outDir = options.outDir ?? APP_DIST_DIR;
  const bundle = await rollup({
    input: path.join(SOURCE_DIR, 'main.js'),
    plugins: [
      generatedTypeScript(),
      // The LWC engine branches on NODE_ENV: production drops its dev-mode checks and warnings.
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      lwc({
        rootDir: MODULES_DIR,
        // Native shadow DOM only: no synthetic-shadow polyfill, whose <style> elements a strict CSP blocks.
        disableSyntheticShadowSupport: true,
        // Only the app's own components are LWC modules; generated documents are plain modules.
        exclude: [path.join(REPOSITORY_ROOT, 'clients', '**')],
      }),
      nodeResolve({ browser: true }),
    ],
    onwarn(warning, warn) {
      // The LWC engine's dist keeps `this` at module level in a few helpers: harmless in a browser.
      if (warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  });
  try {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    await bundle.write({
      file: path.join(outDir, APP_BUNDLE),
      format: 'iife',
      sourcemap: true,
      // Sources in the map are named from the repository root, not from app/dist.
      sourcemapPathTransform: (relative) => path.relative(REPOSITORY_ROOT, path.resolve(outDir, relative)),
    });
    await copyFile(path.join(SOURCE_DIR, APP_STYLESHEET), path.join(outDir, APP_STYLESHEET));
    return { outDir, files: [APP_BUNDLE, `${APP_BUNDLE}.map`, APP_STYLESHEET] };
  } finally {
    await bundle.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  try {
    const { outDir, files } = await buildApp();
    process.stdout.write(
      `console built in ${Date.now() - started} ms: ${files.map((file) => path.relative(REPOSITORY_ROOT, path.join(outDir, file))).join(', ')}\n`,
    );
  } catch (error) {
    process.stderr.write(`console build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
