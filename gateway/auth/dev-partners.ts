// The demo data's partners (notes/contracts.md "Identity on the wire"): which ERP customers each
// may see. Used for development tokens only (npm run token -- --role partner --partner P-NORTHWIND,
// GraphiQL's and the console's partner examples); real partner scopes come from the issuer's token.

const range = (from: number, to: number): readonly string[] =>
  Array.from({ length: to - from + 1 }, (_, index) => `C${String(from + index).padStart(5, '0')}`);

export const DEV_PARTNERS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'P-NORTHWIND': range(1, 10),
  'P-CONTOSO': range(11, 20),
});

export function isDevPartner(partnerId: string): boolean {
  return Object.hasOwn(DEV_PARTNERS, partnerId);
}
