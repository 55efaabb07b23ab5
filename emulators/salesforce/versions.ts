// The API versions the emulator answers to (GET /services/data/). Release names follow Salesforce's
// three releases a year: 20.0 was Winter '11, 62.0 Winter '25. jsforce defaults to 50.0; the
// project pins 62.0.
export const MIN_VERSION = 20;
export const MAX_VERSION = 64;

const SEASONS = ['Winter', 'Spring', 'Summer'] as const;

export function isSupportedVersion(version: string): boolean {
  if (!/^\d+\.0$/.test(version)) return false;
  const major = Number(version.slice(0, -2));
  return major >= MIN_VERSION && major <= MAX_VERSION;
}

export function versionList() {
  const out: { label: string; url: string; version: string }[] = [];
  for (let major = MIN_VERSION; major <= MAX_VERSION; major++) {
    const index = major - MIN_VERSION;
    const year = String(11 + Math.floor(index / 3)).padStart(2, '0');
    out.push({ label: `${SEASONS[index % 3]} '${year}`, url: `/services/data/v${major}.0`, version: `${major}.0` });
  }
  return out;
}
