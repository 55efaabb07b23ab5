// @ts-check
// The page's settings, written by the gateway (gateway/console.ts) into a JSON data block: a
// <script type="application/json"> is data, not code, so the page's CSP can stay at script-src 'self'.

/**
 * @typedef {object} DevPartner
 * @property {string} id e.g. P-NORTHWIND
 * @property {string} label What the sign-in screen shows.
 */

/**
 * @typedef {object} ConsoleConfig
 * @property {string} graphqlEndpoint
 * @property {string | null} devTokenEndpoint Set only when the gateway's development token issuer is on.
 * @property {readonly string[]} devRoles The non-partner roles the sign-in screen offers.
 * @property {readonly DevPartner[]} devPartners
 */

/** @type {ConsoleConfig | undefined} */
let config;

/** @returns {ConsoleConfig} */
export function consoleConfig() {
  if (!config) {
    const block = document.getElementById('c360-config');
    const parsed = block?.textContent ? JSON.parse(block.textContent) : {};
    config = {
      graphqlEndpoint: parsed.graphqlEndpoint ?? '/graphql',
      devTokenEndpoint: parsed.devTokenEndpoint ?? null,
      devRoles: parsed.devRoles ?? [],
      devPartners: parsed.devPartners ?? [],
    };
  }
  return config;
}
