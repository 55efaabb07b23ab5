// The service document (OData 4.0 JSON Format §5): the entity sets, by name and relative URL.
import type { EntityModel } from './model.js';

export function serviceDocument(model: EntityModel, serviceRoot: string): unknown {
  return {
    '@odata.context': `${serviceRoot}$metadata`,
    value: model.sets.map((set) => ({ name: set.name, kind: 'EntitySet', url: set.name })),
  };
}
