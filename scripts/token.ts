// `npm run token -- --role sales`: prints a bearer token of the embedded default's development
// issuer (gateway/auth/dev-issuer.ts), signed with the key in the gateway's DATA_DIR. Only the
// token goes to stdout, so `TOKEN=$(npm run --silent token -- --role sales)` works; a note on what
// it holds goes to stderr.
import { parseArgs } from 'node:util';
import { DEV_TOKEN_DEFAULT_EXPIRY, DevTokenError, mintDevToken } from '../gateway/auth/dev-issuer.js';
import { DEV_PARTNERS } from '../gateway/auth/dev-partners.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { decodeJwt } from 'jose';
import { isRole, ROLES } from '../lib/identity.js';

const USAGE = `usage: npm run token -- --role <role> [--subject <sub>] [--partner <partner id>] [--customers C00001,C00002] [--expires 1h]

  --role       one of ${ROLES.join(', ')}
  --subject    the token's subject (default dev-<role>)
  --partner    partner id, with --role partner; the demo partners ${Object.keys(DEV_PARTNERS).join(', ')} need no --customers
  --customers  comma-separated ERP customer numbers the partner may see
  --expires    lifetime: seconds or a number with s, m, h, d (default ${DEV_TOKEN_DEFAULT_EXPIRY}, at most 30d)

The token is for the gateway's embedded default (no AUTH_ISSUERS, NODE_ENV not production), signed
with the key in DATA_DIR (default ./data; use the same DATA_DIR as the gateway).`;

/** Bad options: the usage, exit code 2 (as getopt-style tools do). */
class UsageError extends Error {}

function options(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        subject: { type: 'string' },
        partner: { type: 'string' },
        customers: { type: 'string' },
        expires: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  if (values.role === undefined) throw new UsageError('--role is required');
  if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  if ((values.partner !== undefined || values.customers !== undefined) && values.role !== 'partner') {
    throw new UsageError('--partner and --customers go with --role partner');
  }
  if (values.role === 'partner' && values.partner === undefined) throw new UsageError('--role partner needs --partner');
  const customers = values.customers
    ?.split(',')
    .map((customer) => customer.trim())
    .filter((customer) => customer.length > 0);
  if (customers !== undefined && customers.length === 0)
    throw new UsageError('--customers needs at least one customer number');
  return {
    role: values.role,
    ...(values.subject !== undefined && { subject: values.subject }),
    ...(values.partner !== undefined && { partnerId: values.partner }),
    ...(customers !== undefined && { customers }),
    ...(values.expires !== undefined && { expiresIn: values.expires }),
  };
}

async function main(): Promise<number> {
  let request;
  try {
    request = options(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`token: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (request === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadGatewayConfig();
  if (!config.auth.devIssuer) {
    process.stderr.write(
      'token: the gateway trusts the issuers of AUTH_ISSUERS, not the development issuer; get a token from one of them\n',
    );
    return 1;
  }
  let token: string;
  try {
    token = await mintDevToken({ ...request, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DevTokenError)) throw error;
    process.stderr.write(`token: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const claims = decodeJwt(token);
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `# ${claims.role} token for ${claims.sub}${claims.partner_id ? ` (partner ${String(claims.partner_id)}, ${(claims.customers as string[]).length} customers)` : ''}, ` +
      `valid until ${new Date(claims.exp! * 1000).toISOString()}; send it as  Authorization: Bearer <token>\n`,
  );
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
