// Apex source, parsed with @apexdevtools/apex-parser (the ANTLR grammar of Apex): its syntax
// errors, and the outline the offline checks read (classes, their members and the modifiers and
// annotations of each). No Apex compiler runs outside an org; this catches what a parser can.
import {
  ApexErrorListener,
  ApexParserBaseListener,
  ApexParserFactory,
  ApexParseTreeWalker,
  type ClassBodyDeclarationContext,
  type ClassDeclarationContext,
  type TypeDeclarationContext,
} from '@apexdevtools/apex-parser';

export interface ApexMember {
  /** The class it is declared in (Outer or Outer.Inner). */
  readonly owner: string;
  readonly name: string;
  readonly kind: 'method' | 'constructor' | 'field' | 'property' | 'class' | 'interface' | 'enum';
  /** Lower-cased: Apex is case-insensitive (public, static, @auraenabled, @istest, ...). */
  readonly modifiers: readonly string[];
  readonly line: number;
}

export interface ApexSource {
  readonly errors: readonly string[];
  /** The top-level class, interface or enum. */
  readonly typeName: string | null;
  readonly typeModifiers: readonly string[];
  readonly members: readonly ApexMember[];
}

class CollectingErrors extends ApexErrorListener {
  readonly errors: string[] = [];
  apexSyntaxError(line: number, column: number, message: string): void {
    this.errors.push(`${line}:${column} ${message}`);
  }
}

/** Annotation names only (@AuraEnabled(cacheable=true) → @auraenabled). */
function modifierText(text: string): string {
  const lower = text.toLowerCase();
  return lower.startsWith('@') ? lower.replace(/\(.*$/s, '') : lower;
}

class Outline extends ApexParserBaseListener {
  typeName: string | null = null;
  typeModifiers: string[] = [];
  readonly members: ApexMember[] = [];
  private readonly classes: string[] = [];

  enterTypeDeclaration(ctx: TypeDeclarationContext): void {
    this.typeModifiers = ctx.modifier_list().map((modifier) => modifierText(modifier.getText()));
    const declaration = ctx.classDeclaration() ?? ctx.interfaceDeclaration() ?? ctx.enumDeclaration();
    this.typeName = declaration?.id().getText() ?? null;
  }

  enterClassDeclaration(ctx: ClassDeclarationContext): void {
    this.classes.push(ctx.id().getText());
  }

  exitClassDeclaration(): void {
    this.classes.pop();
  }

  enterClassBodyDeclaration(ctx: ClassBodyDeclarationContext): void {
    const member = ctx.memberDeclaration();
    if (!member) return;
    const modifiers = ctx.modifier_list().map((modifier) => modifierText(modifier.getText()));
    const owner = this.classes.join('.');
    const line = ctx.start.line;
    const add = (kind: ApexMember['kind'], name: string) => this.members.push({ owner, name, kind, modifiers, line });
    if (member.methodDeclaration()) add('method', member.methodDeclaration().id().getText());
    else if (member.constructorDeclaration())
      add('constructor', member.constructorDeclaration().qualifiedName().getText());
    else if (member.classDeclaration()) add('class', member.classDeclaration().id().getText());
    else if (member.interfaceDeclaration()) add('interface', member.interfaceDeclaration().id().getText());
    else if (member.enumDeclaration()) add('enum', member.enumDeclaration().id().getText());
    else if (member.propertyDeclaration()) add('property', member.propertyDeclaration().id().getText());
    else if (member.fieldDeclaration()) {
      for (const declarator of member.fieldDeclaration().variableDeclarators().variableDeclarator_list())
        add('field', declarator.id().getText());
    }
  }
}

export function parseApex(source: string): ApexSource {
  const errors = new CollectingErrors();
  const { parser } = ApexParserFactory.createLexerAndParser(source, errors);
  const tree = parser.compilationUnit();
  const outline = new Outline();
  if (errors.errors.length === 0) ApexParseTreeWalker.DEFAULT.walk(outline, tree);
  return {
    errors: errors.errors,
    typeName: outline.typeName,
    typeModifiers: outline.typeModifiers,
    members: outline.members,
  };
}
