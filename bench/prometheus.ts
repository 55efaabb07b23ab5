// Reading single samples out of a service's /metrics (Prometheus text exposition format 0.0.4):
// `name{label="value",...} number`. Enough for the breaker state and call counters the erp-outage
// scenario follows; not a general parser (no escapes inside label values are expected here).

/** The exposition text, or null when the service has no /metrics (yet) or does not answer. */
export async function scrapeMetrics(serviceUrl: string): Promise<string | null> {
  try {
    const response = await fetch(`${serviceUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return await response.text();
  } catch {
    return null;
  }
}

interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function samplesOf(text: string, name: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    let labelsText = '';
    let valueText: string;
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      if (close < 0) continue;
      labelsText = rest.slice(1, close);
      valueText = rest.slice(close + 1);
    } else if (rest.startsWith(' ')) {
      valueText = rest;
    } else {
      continue; // another metric whose name starts with this one
    }
    const labels: Record<string, string> = {};
    for (const match of labelsText.matchAll(/(\w+)="([^"]*)"/g)) labels[match[1]!] = match[2]!;
    samples.push({ labels, value: Number(valueText.trim().split(' ')[0]) });
  }
  return samples;
}

const matches = (sample: Sample, labels: Readonly<Record<string, string>>) =>
  Object.entries(labels).every(([key, value]) => sample.labels[key] === value);

/** The value of the first sample with these labels; undefined when there is none. */
export function metricValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samplesOf(text, name).find((sample) => matches(sample, labels))?.value;
}

/** The sum over every sample with these labels (e.g. a counter over all operations); 0 when none. */
export function metricSum(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return samplesOf(text, name)
    .filter((sample) => matches(sample, labels))
    .reduce((total, sample) => total + sample.value, 0);
}
