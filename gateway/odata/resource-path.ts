// The resource a request addresses, from its path below the service root (OData 4.0 URL
// Conventions §4): the service document, $metadata, an entity set, its /$count, or one entity by
// key, `Invoices('X')` or `Invoices(Number='X')` (composite keys only in the named form:
// `SalesOrderLines(OrderNumber='SO-1',Sequence=10000)`).
import { badRequest, notFound, notImplemented } from './errors.js';
import { Lexer, type Token } from './filter-lexer.js';
import type { EntityModel, EntitySet, ModelProperty } from './model.js';

export type Resource =
  | { readonly kind: 'service' }
  | { readonly kind: 'metadata' }
  | { readonly kind: 'collection'; readonly set: EntitySet }
  | { readonly kind: 'count'; readonly set: EntitySet }
  | { readonly kind: 'entity'; readonly set: EntitySet; readonly key: ReadonlyMap<ModelProperty, string> };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`The path segment ${JSON.stringify(segment)} is not valid percent-encoding.`);
  }
}

/** `path` as Express gives it below the mount point: `/`, `/$metadata`, `/Invoices('X')`, … (not decoded). */
export function parseResourcePath(path: string, model: EntityModel): Resource {
  const trimmed = path.replace(/^\//, '').replace(/\/$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  if (segments.length === 0) return { kind: 'service' };
  const first = decodeSegment(segments[0]!);
  if (first === '$metadata' && segments.length === 1) return { kind: 'metadata' };
  if (first.startsWith('$')) throw notImplemented(`${first} is not supported.`);
  const open = first.indexOf('(');
  const name = open === -1 ? first : first.slice(0, open);
  const set = model.set(name);
  if (!set) throw notFound(`There is no entity set named ${JSON.stringify(name)}; the service document lists them.`);
  if (open === -1) {
    if (segments.length === 1) return { kind: 'collection', set };
    if (segments.length === 2 && decodeSegment(segments[1]!) === '$count') return { kind: 'count', set };
    throw notImplemented(
      `Only the entity set, its /$count and single entities by key are served (not ${JSON.stringify(path)}).`,
    );
  }
  if (segments.length > 1) throw notImplemented('Property paths and navigation below an entity are not supported.');
  return { kind: 'entity', set, key: parseKeyPredicate(first.slice(open), set) };
}

function parseKeyPredicate(text: string, set: EntitySet): ReadonlyMap<ModelProperty, string> {
  const lexer = new Lexer(text, 'key predicate');
  const tokens = lexer.tokenize();
  let index = 0;
  const take = (): Token => tokens[Math.min(index++, tokens.length - 1)]!;
  const expect = (type: Token['type'], what: string): Token => {
    const token = take();
    if (token.type !== type) throw lexer.syntaxError(`expected ${what}`, token.position);
    return token;
  };
  const keyText = set.keyProperties.map((p) => `${p.name}=…`).join(',');
  const values = new Map<ModelProperty, string>();
  expect('(', '"("');
  if (tokens[index]?.type === 'literal') {
    if (set.keyProperties.length !== 1)
      throw badRequest(`${set.name} has a composite key: name its parts, (${keyText}).`);
    values.set(set.keyProperties[0]!, keyValue(set.keyProperties[0]!, take(), lexer));
  } else {
    for (;;) {
      const name = expect('ident', 'a key property name');
      const property = set.keyProperties.find((p) => p.name === (name as Extract<Token, { type: 'ident' }>).text);
      if (!property)
        throw badRequest(
          `${(name as Extract<Token, { type: 'ident' }>).text} is not a key property of ${set.name}; the key is (${keyText}).`,
        );
      if (values.has(property)) throw badRequest(`The key property ${property.name} is given twice.`);
      expect('=', '"="');
      values.set(property, keyValue(property, take(), lexer));
      if (tokens[index]?.type !== ',') break;
      take();
    }
  }
  expect(')', '")"');
  expect('eof', 'the end of the key predicate');
  if (values.size !== set.keyProperties.length) throw badRequest(`${set.name} is addressed by (${keyText}).`);
  return values;
}

function keyValue(property: ModelProperty, token: Token, lexer: Lexer): string {
  if (token.type !== 'literal') throw lexer.syntaxError(`expected a value for ${property.name}`, token.position);
  const { literal } = token;
  const fits = property.type === 'Edm.String' ? literal.type === 'string' : literal.type === 'int';
  if (!fits)
    throw badRequest(`The key ${property.name} is ${property.type}; ${literal.text} is not a value of that type.`);
  return literal.text;
}
