// What every scenario gets and gives back. A result carries its raw figures (JSON), a short summary
// and the targets judged against the measurement; scenarios print, they never assert
// (issue 3: "figures printed, not asserted in tests").
import type { BenchStack } from './bench-stack.js';
import type { BenchConfig } from './config.js';
import type { Machine } from './machine.js';

export interface ScenarioContext {
  readonly config: BenchConfig;
  readonly stack: BenchStack;
  readonly machine: Machine;
  /** Aborted on Ctrl-C: load runs stop early and the scenario returns what it has. */
  readonly signal: AbortSignal;
  readonly print: (line: string) => void;
}

export interface SummaryRow {
  readonly label: string;
  readonly value: string;
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** null: could not be judged (e.g. the metric it needs is not exposed). */
  readonly met: boolean | null;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly title: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Machine;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly figures: unknown;
  readonly summary: readonly SummaryRow[];
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /**
   * Sales invoices the ERP emulator should hold for this scenario (EMULATOR_SEED_INVOICES);
   * absent or undefined: the seed's own. run.ts restarts the ERP emulator when this changes.
   */
  erpInvoices?(config: BenchConfig): number | undefined;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
