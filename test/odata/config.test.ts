// ODATA_PUBLIC_URL (gateway/config.ts): the service root next links and context URLs are built on.
import { describe, expect, it } from 'vitest';
import { GatewayConfigError, loadGatewayConfig } from '../../gateway/config.js';

describe('ODATA_PUBLIC_URL', () => {
  it('is unset by default: links are built from the request', () => {
    expect(loadGatewayConfig({}).odataPublicUrl).toBeUndefined();
    expect(loadGatewayConfig({ ODATA_PUBLIC_URL: '' }).odataPublicUrl).toBeUndefined();
  });

  it('takes an absolute http(s) URL', () => {
    expect(loadGatewayConfig({ ODATA_PUBLIC_URL: 'https://c360.example.com/odata/v4/' }).odataPublicUrl).toBe(
      'https://c360.example.com/odata/v4/',
    );
  });

  it('refuses anything else, naming the variable', () => {
    for (const value of ['/odata/v4', 'ftp://c360.example.com/odata/v4', 'c360.example.com']) {
      expect(() => loadGatewayConfig({ ODATA_PUBLIC_URL: value })).toThrow(GatewayConfigError);
      expect(() => loadGatewayConfig({ ODATA_PUBLIC_URL: value })).toThrow(/ODATA_PUBLIC_URL=/);
    }
  });
});
