// The project's Apex, checked without an org: every class parses (@apexdevtools/apex-parser), and
// what a parser can see of the rules the platform enforces at compile or run time holds: methods the
// components call are @AuraEnabled static, tests are @IsTest, callouts go only through the named
// credential, and every persisted operation Apex sends is one generated from the manifest. The Apex
// tests themselves (HttpCalloutMock) run only in an org: `sf apex run test` (salesforce/README.md).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApex, type ApexSource } from '../../salesforce/tools/apex-source.js';
import { PACKAGE_DIRECTORY } from '../../salesforce/tools/project-metadata.js';

const CLASSES = path.join(PACKAGE_DIRECTORY, 'main/default/classes');
const sources = new Map<string, { text: string; parsed: ApexSource }>(
  readdirSync(CLASSES)
    .filter((file) => file.endsWith('.cls'))
    .map((file) => {
      const text = readFileSync(path.join(CLASSES, file), 'utf8');
      return [file.replace(/\.cls$/, ''), { text, parsed: parseApex(text) }];
    }),
);
const isTestClass = (name: string) => sources.get(name)!.parsed.typeModifiers.includes('@istest');

describe('Apex', () => {
  it('every class parses, declares the class its file is named after, and has its -meta.xml', () => {
    expect(sources.size).toBeGreaterThanOrEqual(8);
    for (const [name, { parsed }] of sources) {
      expect(parsed.errors, name).toEqual([]);
      expect(parsed.typeName, name).toBe(name);
      expect(readdirSync(CLASSES)).toContain(`${name}.cls-meta.xml`);
    }
  });

  it('the parser reports broken Apex (so the check above can fail)', () => {
    expect(parseApex('public class Broken { void a() { Integer b = 1 } }').errors.join()).toMatch(/missing ';'/);
    expect(parseApex("public class Broken { String s = 'unterminated; }").errors.length).toBeGreaterThan(0);
    expect(parseApex('public class Fine { void a() { Integer b = 1; } }').errors).toEqual([]);
  });

  it('the methods the components call are @AuraEnabled public static, and nothing else is exposed', () => {
    const controller = sources.get('C360AccountGraphController')!.parsed;
    const exposed = controller.members.filter(
      (member) => member.kind === 'method' && member.modifiers.includes('@auraenabled'),
    );
    expect(exposed.map((member) => member.name).sort()).toEqual(['getAccount360', 'submitQuote', 'validateQuote']);
    for (const member of exposed)
      expect(member.modifiers, member.name).toEqual(expect.arrayContaining(['public', 'static']));
    for (const [name, { parsed }] of sources) {
      if (name === 'C360AccountGraphController') continue;
      expect(
        parsed.members.filter((member) => member.kind === 'method' && member.modifiers.includes('@auraenabled')),
        name,
      ).toEqual([]);
    }
    // The controller enforces sharing: users see ERP data only for records they may read.
    expect(controller.typeModifiers).toContain('withsharing');
  });

  it('tests and the callout mock are @IsTest, and every test method is static', () => {
    const testClasses = [...sources.keys()].filter(isTestClass).sort();
    expect(testClasses).toEqual(['C360AccountGraphControllerTest', 'C360GraphCalloutMock', 'C360GraphClientTest']);
    for (const name of testClasses) {
      for (const method of sources.get(name)!.parsed.members.filter((member) => member.modifiers.includes('@istest'))) {
        expect(method.modifiers, `${name}.${method.name}`).toContain('static');
      }
    }
    const testMethods = sources
      .get('C360AccountGraphControllerTest')!
      .parsed.members.filter((member) => member.modifiers.includes('@istest'));
    expect(testMethods.length).toBeGreaterThanOrEqual(10);
  });

  it('callouts go only through the named credential: one endpoint, no URLs in the code', () => {
    for (const [name, { text }] of sources) {
      if (isTestClass(name)) continue;
      expect(text, name).not.toMatch(/https?:\/\//);
      if (name !== 'C360GraphClient') expect(text, name).not.toMatch(/setEndpoint|new Http\(/);
    }
    expect(sources.get('C360GraphClient')!.text).toMatch(/request\.setEndpoint\(ENDPOINT\)/);
  });

  it('Apex sends only generated persisted operations, never query text', () => {
    const generated = new Set(
      sources
        .get('C360PersistedOperations')!
        .parsed.members.filter((member) => member.kind === 'field' && member.owner === 'C360PersistedOperations')
        .map((member) => member.name),
    );
    expect([...generated].sort()).toEqual(['ACCOUNT_360', 'SUBMIT_QUOTE', 'VALIDATE_QUOTE']);
    const used = new Set<string>();
    for (const [name, { text }] of sources) {
      if (name === 'C360PersistedOperations') continue;
      for (const match of text.matchAll(/C360PersistedOperations\.([A-Z0-9_]+)\b/g)) used.add(match[1]!);
    }
    expect([...used].sort()).toEqual([...generated].sort());
    const client = sources.get('C360GraphClient')!.text;
    expect(client).toContain(
      "'persistedQuery' => new Map<String, Object>{ 'version' => 1, 'sha256Hash' => operation.sha256Hash }",
    );
    expect(client).not.toMatch(/'query'\s*=>/);
  });
});
