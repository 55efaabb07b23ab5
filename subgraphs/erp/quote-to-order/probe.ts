// The test seam of a submission: named points where a test can make the process "die" (the probe
// throws). Nothing after a crash runs: no lease is released, no audit entry finished, exactly as a
// kill -9 leaves things, so recovery is tested against the state a real crash leaves behind.
export type SubmitStep =
  | 'before-erp-call'
  /** The create's audit entry is written (pending), the request not sent yet. */
  | 'erp-create-sending'
  /** The ERP has answered the create; its audit entry is still pending. */
  | 'erp-create-answered'
  | 'after-erp-accepted'
  | 'before-salesforce-update'
  /** Salesforce has applied the quote write-back; its audit entry is still pending. */
  | 'salesforce-update-answered'
  | 'before-complete';
export type StepProbe = (step: SubmitStep, quoteId: string) => void | Promise<void>;

/** A simulated process death (the probe threw): nothing after it may run. */
export class Crash extends Error {
  override readonly name = 'Crash';
}

/** Runs the probe at `step`; what it throws becomes a Crash. */
export async function probeAt(probe: StepProbe | undefined, step: SubmitStep, quoteId: string): Promise<void> {
  if (!probe) return;
  try {
    await probe(step, quoteId);
  } catch (error) {
    throw new Crash(`simulated crash at ${step}`, { cause: error });
  }
}
