// Aggregate SOQL (`SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry`): AggregateResult
// rows keyed by the grouped fields' names and by `expr0`, `expr1`, ... (or the alias) for the
// functions, as the REST API answers them. Without GROUP BY there is exactly one row.
import { formatForOutput } from '../field-values.js';
import type { SfRecord } from '../store-types.js';
import { type Comparable, categoryOf, comparable, compareComparable } from './compare.js';
import type { FieldPath } from './paths.js';

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

export type AggregateOutput =
  | { readonly kind: 'group'; readonly path: FieldPath; readonly key: string }
  | {
      readonly kind: 'function';
      readonly fn: AggregateFunction;
      readonly path: FieldPath | null;
      readonly key: string;
    };

export interface AggregatePlan {
  readonly groupBy: readonly FieldPath[];
  readonly outputs: readonly AggregateOutput[];
}

type Reader = (path: FieldPath, record: SfRecord) => unknown;

function compute(output: Extract<AggregateOutput, { kind: 'function' }>, group: SfRecord[], read: Reader): unknown {
  if (!output.path) return group.length;
  const path = output.path;
  const category = categoryOf(path.field);
  const values = group.map((r) => read(path, r)).filter((v) => v !== null && v !== undefined);
  switch (output.fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => comparable(category, v))).size;
    case 'SUM':
    case 'AVG': {
      if (values.length === 0) return null;
      const sum = values.reduce<number>((acc, v) => acc + Number(v), 0);
      return output.fn === 'SUM' ? sum : sum / values.length;
    }
    default: {
      let best: unknown = null;
      let bestKey: Comparable | null = null;
      for (const v of values) {
        const key = comparable(category, v);
        if (key === null) continue;
        const c = bestKey === null ? 0 : compareComparable(key, bestKey);
        if (bestKey === null || (output.fn === 'MIN' ? c < 0 : c > 0)) {
          best = v;
          bestKey = key;
        }
      }
      return formatForOutput(path.field, best);
    }
  }
}

export function aggregateRows(plan: AggregatePlan, records: SfRecord[], read: Reader): Record<string, unknown>[] {
  const groups = new Map<string, SfRecord[]>();
  if (plan.groupBy.length === 0) groups.set('', records);
  for (const record of plan.groupBy.length > 0 ? records : []) {
    const key = JSON.stringify(plan.groupBy.map((p) => comparable(categoryOf(p.field), read(p, record))));
    const list = groups.get(key);
    if (list) list.push(record);
    else groups.set(key, [record]);
  }
  const rows: Record<string, unknown>[] = [];
  for (const group of groups.values()) {
    const row: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const output of plan.outputs) {
      row[output.key] =
        output.kind === 'group'
          ? formatForOutput(output.path.field, read(output.path, group[0]!))
          : compute(output, group, read);
    }
    rows.push(row);
  }
  return rows;
}
