// `npm run codegen`, after graphql-codegen: rewrites C360PersistedOperations.cls from the fresh
// persisted-operation manifest (persisted-operations-apex.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APEX_OPERATIONS_FILE, apexOperationsClass, PERSISTED_MANIFEST_FILE } from './persisted-operations-apex.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const manifest = readFileSync(path.join(ROOT, PERSISTED_MANIFEST_FILE), 'utf8');
writeFileSync(path.join(ROOT, APEX_OPERATIONS_FILE), apexOperationsClass(manifest));
console.log(`wrote ${APEX_OPERATIONS_FILE}`);
