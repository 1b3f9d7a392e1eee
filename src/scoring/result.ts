/**
 * What a signal evaluator returns. Not evaluated means an input was absent or unusable: the signal is
 * left out and the input is listed in the assessment's `missing`, never read as zero.
 */
export interface NotEvaluated {
  readonly evaluated: false;
  /** Input names, e.g. `licensedSeats`, `usage`, `renewalDate`. */
  readonly missing: readonly string[];
  /** A plain sentence for the assessment's reasons. */
  readonly reason: string;
}

export type Evaluation<Facts> = NotEvaluated | ({ readonly evaluated: true } & Facts);
