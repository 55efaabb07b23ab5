// Plain fetch calls to a live OData service root, for the end-to-end tests: one request, and every
// page of a collection by its next links (each a 200 on the same root).
import { expect } from 'vitest';

export interface OdataAnswer {
  readonly res: Response;
  readonly status: number;
  readonly text: string;
  /** The JSON body, or null when the answer is not JSON (a /$count, $metadata). */
  readonly body: any;
}

export function odataClient(root: () => string, defaultHeaders: () => Record<string, string>) {
  async function get(path: string, headers: Record<string, string> = defaultHeaders()): Promise<OdataAnswer> {
    const res = await fetch(path.startsWith('http') ? path : `${root()}${path}`, { headers });
    const text = await res.text();
    return {
      res,
      status: res.status,
      text,
      body: res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as unknown) : null,
    };
  }

  /** Every page from `first` on, following @odata.nextLink. */
  async function follow(first: string, headers: Record<string, string> = defaultHeaders()): Promise<any[]> {
    const pages: any[] = [];
    let next: string | undefined = first;
    while (next) {
      const { status, body, text } = await get(next, headers);
      expect(status, text.slice(0, 500)).toBe(200);
      pages.push(body);
      next = body['@odata.nextLink'];
      if (next) expect(next.startsWith(root())).toBe(true);
      if (pages.length > 500) throw new Error('next links do not end');
    }
    return pages;
  }

  return { get, follow };
}
