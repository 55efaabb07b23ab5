// Company names in faker's own formats ('Kuhn LLC', 'Legros - Kuhn', 'Legros, Schimmel and Kuhn'),
// filled from pooled last names. faker.company.name() parses its template on every call (~15 µs,
// the largest single cost at 10,000 accounts); the patterns and word lists still come from faker's
// locale data, only the placeholder filling is done here. A pattern with any other placeholder
// falls back to faker itself.

import type { SeededRandom } from './random.js';

const PLACEHOLDER = /\{\{([^}]+)\}\}/g;

/** A locale word list, or [] when the locale does not define it as one. */
function stringList(value: unknown): readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : [];
}

export class CompanyNames {
  private readonly patterns: readonly string[];
  private readonly legalEntityTypes: readonly string[];

  constructor(
    private readonly rng: SeededRandom,
    private readonly lastNames: readonly string[],
  ) {
    const definitions = rng.faker.rawDefinitions.company;
    this.patterns = stringList(definitions?.name_pattern);
    this.legalEntityTypes = stringList(definitions?.legal_entity_type);
  }

  next(): string {
    if (this.patterns.length === 0 || this.legalEntityTypes.length === 0) return this.rng.faker.company.name();
    const pattern = this.rng.pick(this.patterns);
    let unknown = false;
    const name = pattern.replace(PLACEHOLDER, (_, key: string) => {
      if (key === 'person.lastName') return this.rng.pick(this.lastNames);
      if (key === 'company.legal_entity_type') return this.rng.pick(this.legalEntityTypes);
      unknown = true;
      return '';
    });
    return unknown ? this.rng.faker.helpers.fake(pattern) : name;
  }
}
