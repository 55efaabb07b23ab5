// Number formatting shared by the printed output and the Markdown table.

export const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
export const percent = (fraction: number, digits = 2): string =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : 'n/a';
export const perThousand = (requests: number, operations: number): number =>
  operations === 0 ? Number.NaN : (requests * 1000) / operations;
export const verdict = (met: boolean | null): string => (met === null ? 'not judged' : met ? 'met' : 'NOT met');
