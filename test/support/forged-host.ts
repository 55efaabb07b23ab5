// An HTTP request with a Host header of the test's choosing (fetch sets Host from the URL and will
// not take another), to play a page served under another name: a DNS-rebinding attacker's.
import http from 'node:http';

export interface ForgedHostResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export function requestWithHost(
  url: string,
  options: { host: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<ForgedHostResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? 'GET', headers: { ...options.headers, host: options.host } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
