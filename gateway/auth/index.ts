// The gateway's authentication surface (issue 5): what the wiring (server.ts), the OData bridge,
// GraphiQL and the console, scripts/token.ts and the in-process stack use.
export { AuthError, type AuthFailureReason } from './auth-error.js';
export { ALLOWED_ALGORITHMS, createAuthenticator, type Authenticator } from './authenticator.js';
export {
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_TOKEN_DEFAULT_EXPIRY,
  DevTokenError,
  devIssuerKeyFile,
  mintDevToken,
  type DevTokenRequest,
} from './dev-issuer.js';
export { DEV_PARTNERS, isDevPartner } from './dev-partners.js';
export { createIdentityForwarder, type IdentityForwarder } from './identity-forwarder.js';
export type { AuthConfig, TrustedIssuer } from './issuer-config.js';
export { authenticatedIdentityOf, requireAuthentication, sendUnauthenticated, wwwAuthenticate } from './middleware.js';
