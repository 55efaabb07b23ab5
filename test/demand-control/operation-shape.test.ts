// Depth, aliases, root fields and selections (gateway/demand-control/operation-shape.ts): fragments
// expanded, introspection's own nesting left out.
import { getIntrospectionQuery, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperationShape } from '../../gateway/demand-control/index.js';

function shape(query: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return measureOperationShape(operation, fragments);
}

describe('measureOperationShape', () => {
  it('counts nesting levels, leaves included', () => {
    expect(shape('{ a }').depth).toBe(1);
    expect(shape('{ a { b { c } } d }').depth).toBe(3);
  });

  it('expands fragments and inline fragments where they are spread', () => {
    expect(shape('{ a { ...F } } fragment F on A { b { ... on B { c { d } } } }').depth).toBe(4);
  });

  it('leaves introspection out of the depth, but not __typename', () => {
    expect(shape(getIntrospectionQuery()).depth).toBe(0);
    expect(
      shape('{ a { __typename } __type(name: "A") { fields { type { ofType { ofType { name } } } } } }').depth,
    ).toBe(2);
  });

  it('counts aliases, each expansion of a fragment again', () => {
    expect(shape('{ x: a y: a { z: b } }').aliases).toBe(3);
    expect(shape('{ ...F ...F a { ...F } } fragment F on Q { p: a q: a }').aliases).toBe(6);
  });

  it('counts root fields, fragments expanded, __typename not', () => {
    expect(shape('{ a b __typename c: a { d e } }').rootFields).toBe(3);
    expect(shape('{ ...F ... on Query { c } } fragment F on Query { a b }').rootFields).toBe(3);
  });

  it('counts selections (fields, inline fragments, spreads), each expansion of a fragment again', () => {
    expect(shape('{ a b { c d } }').selections).toBe(4);
    expect(shape('{ a { ...F ... on A { c } } } fragment F on A { b c }').selections).toBe(6);
    expect(shape('{ ...F ...F } fragment F on Q { a { b } }').selections).toBe(6);
  });

  it("leaves introspection's subtree out of the selections", () => {
    expect(shape(getIntrospectionQuery()).selections).toBe(1);
    expect(shape('{ a __type(name: "A") { name fields { name } } }').selections).toBe(2);
  });

  it('measures an exponential fragment tree without expanding it', () => {
    const fragments = Array.from({ length: 50 }, (_, i) => `fragment F${i} on Q { ...F${i + 1} ...F${i + 1} }`).join(
      '\n',
    );
    const started = performance.now();
    const measured = shape(`{ ...F0 }\n${fragments}\nfragment F50 on Q { x: a }`);
    expect(measured.aliases).toBe(2 ** 50);
    expect(measured.rootFields).toBe(2 ** 50);
    // The spread of F0, 2 + 4 + … + 2^50 spreads, and the aliased field 2^50 times.
    expect(measured.selections).toBe(1 + (2 ** 51 - 2) + 2 ** 50);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
