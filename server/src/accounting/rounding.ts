/**
 * Rounding rules a vendor does not document clearly enough to settle (docs/reference/money.md §9): each is a
 * named choice of readings, the portal picks one in its invoice settings, and the provider predicts totals with
 * it. The vendor's read-back totals stay the truth; a prediction that differs is shown as a warning.
 */
import { z } from 'zod';

export interface RoundingChoice {
  /** The option name inside the vendor's totals code, e.g. `discountRounding`. */
  option: string;
  /** The readings; the first is the default (the likeliest one, see the vendor's totals.ts). */
  values: readonly [string, ...string[]];
  /** The rule in money.md whose reading it is, e.g. `LX-R2`. */
  rule: string;
}

/** The reading chosen per option; options not listed take their default. */
export type RoundingReadings = Readonly<Record<string, string | undefined>>;

/** Every option with the chosen reading, or its default where none (or an unknown value) is chosen. */
export function readingsOf(choices: readonly RoundingChoice[], chosen: RoundingReadings | undefined): Record<string, string> {
  return Object.fromEntries(
    choices.map((c) => {
      const value = chosen?.[c.option];
      return [c.option, value !== undefined && c.values.includes(value) ? value : c.values[0]];
    }),
  );
}

/** The zod schema of one vendor's choices: each option optional, only its readings, nothing else. */
export function roundingSchemaOf(choices: readonly RoundingChoice[]) {
  return z.object(Object.fromEntries(choices.map((c) => [c.option, z.enum(c.values as [string, ...string[]]).optional()]))).strict();
}
