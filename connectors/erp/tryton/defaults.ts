// What the development Tryton server (tryton/, `npm run tryton`) sets up, and so what the adapter
// connects and signs in with when nothing else is configured.
export const DEFAULT_TRYTON_PORT = 4040;
export const DEFAULT_TRYTON_DATABASE = 'customer360';
/** The user the seeder creates for the integration, with the sale, stock and account groups. */
export const DEFAULT_TRYTON_USERNAME = 'c360-integration';
/** In DATA_DIR/tryton/: the integration user's password, made on the first start. */
export const TRYTON_PASSWORD_FILE = 'integration.password';
