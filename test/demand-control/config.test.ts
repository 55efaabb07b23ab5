// DEMAND_* and PERSISTED_OPERATIONS_* in the gateway's config (gateway/config.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError, loadGatewayConfig } from '../../gateway/config.js';

describe('demand control and persisted operations config', () => {
  it('has defaults', () => {
    const config = loadGatewayConfig({});
    expect(config.demandControl).toEqual({
      maxDepth: 10,
      maxInputDepth: 20,
      maxCost: 50_000,
      maxAliases: 30,
      maxRootFields: 10,
      maxSelections: 500,
      maxTokens: 5_000,
      defaultListSize: 10,
      exposeCost: false,
    });
    expect(config.persistedOperations).toEqual({
      manifestPath: path.resolve(import.meta.dirname, '../../clients/__generated__/persisted-documents.json'),
      apq: true,
      apqMaxEntries: 1_000,
      requiredRoles: ['partner'],
    });
  });

  it('reads every variable', () => {
    const config = loadGatewayConfig({
      DEMAND_MAX_DEPTH: '7',
      DEMAND_MAX_INPUT_DEPTH: '9',
      DEMAND_MAX_COST: '5000',
      DEMAND_MAX_ALIASES: '0',
      DEMAND_MAX_ROOT_FIELDS: '3',
      DEMAND_MAX_SELECTIONS: '40',
      DEMAND_MAX_TOKENS: '2000',
      DEMAND_DEFAULT_LIST_SIZE: '25',
      DEMAND_EXPOSE_COST: 'true',
      PERSISTED_OPERATIONS_MANIFEST: '/etc/c360/manifest.json',
      PERSISTED_OPERATIONS_APQ: 'false',
      PERSISTED_OPERATIONS_APQ_MAX_ENTRIES: '50',
      PERSISTED_OPERATIONS_REQUIRED_ROLES: 'partner, service',
    });
    expect(config.demandControl).toEqual({
      maxDepth: 7,
      maxInputDepth: 9,
      maxCost: 5000,
      maxAliases: 0,
      maxRootFields: 3,
      maxSelections: 40,
      maxTokens: 2000,
      defaultListSize: 25,
      exposeCost: true,
    });
    expect(config.persistedOperations).toEqual({
      manifestPath: '/etc/c360/manifest.json',
      apq: false,
      apqMaxEntries: 50,
      requiredRoles: ['partner', 'service'],
    });
  });

  it('takes `none` for no manifest-only roles', () => {
    expect(
      loadGatewayConfig({ PERSISTED_OPERATIONS_REQUIRED_ROLES: 'none' }).persistedOperations.requiredRoles,
    ).toEqual([]);
  });

  it('names bad values', () => {
    const load = () =>
      loadGatewayConfig({
        DEMAND_MAX_DEPTH: '0',
        DEMAND_MAX_COST: 'lots',
        DEMAND_EXPOSE_COST: 'yes',
        PERSISTED_OPERATIONS_REQUIRED_ROLES: 'partner,admin',
      });
    expect(load).toThrow(GatewayConfigError);
    expect(load).toThrow(
      /DEMAND_MAX_DEPTH="0".*DEMAND_MAX_COST="lots".*DEMAND_EXPOSE_COST="yes".*PERSISTED_OPERATIONS_REQUIRED_ROLES="partner,admin"/,
    );
  });
});
