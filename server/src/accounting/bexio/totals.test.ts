import { describe, expect, it } from 'vitest';
import { bexioRoundingChoices, computeBexioTotals, roundToFactor, type BexioTotalsPosition } from './totals';
import fc from 'fast-check';
import { dec, roundHalfUp } from '../../money/decimal';

// Every bexio row of reference/money.md §7 (examples 1–6), to the cent, under both readings of
// the UNCONFIRMED precision rule (BX-R3) where the fact sheet gives both.
const chf = { roundFactor: '0.05' };
const line = (amount: string, unitPrice: string, taxPercent: string, discountPercent?: string): BexioTotalsPosition => ({
  amount,
  unitPrice,
  taxPercent,
  discountPercent,
});

describe('computeBexioTotals (money.md §7, bexio CHF rows)', () => {
  it('example 1: mixed rates, net prices → 57.25, rounding difference +0.01', () => {
    const lines = [line('1', '9.99', '8.1'), line('1', '19.50', '8.1'), line('3', '4.99', '2.6'), line('1', '10.00', '0')];
    const docs = computeBexioTotals(lines, chf);
    expect(docs.totalNet.toFixed(2)).toBe('54.46');
    expect(docs.totalTaxes.toString()).toBe('2.77791');
    expect(docs.taxes.map((t) => [t.percentage.toString(), t.value.toString()])).toEqual([
      ['2.6', '0.38922'],
      ['8.1', '2.38869'],
    ]);
    expect(docs.total.toFixed(2)).toBe('57.25');
    expect(docs.totalRoundingDifference.toFixed(2)).toBe('0.01');
    const centFirst = computeBexioTotals(lines, { ...chf, precision: 'cent-first' });
    expect(centFirst.totalTaxes.toFixed(2)).toBe('2.78');
    expect(centFirst.total.toFixed(2)).toBe('57.25');
  });

  it('example 2: 10 % line discount → 84.10, rounding difference −0.01', () => {
    const lines = [line('7', '12.35', '8.1', '10')];
    const docs = computeBexioTotals(lines, chf);
    expect(docs.positionTotals).toEqual(['77.805000']);
    expect(docs.totalTaxes.toString()).toBe('6.302205');
    expect(docs.total.toFixed(2)).toBe('84.10');
    expect(docs.totalRoundingDifference.toFixed(2)).toBe('-0.01');
    const centFirst = computeBexioTotals(lines, { ...chf, precision: 'cent-first' });
    expect(centFirst.positionTotals).toEqual(['77.810000']);
    expect(centFirst.totalTaxes.toFixed(2)).toBe('6.30');
    expect(centFirst.total.toFixed(2)).toBe('84.10');
  });

  it('cent-positions rounds only the positions; taxes stay unrounded as settled (money.md §5.3)', () => {
    // 7 × 12.35 at 10 % = 77.805 → 77.81; 8.1 %: 6.302610 (cent-first would print 6.30); 84.11261 → 84.11 → 84.10.
    const lines = [line('7', '12.35', '8.1', '10')];
    const positions = computeBexioTotals(lines, { ...chf, precision: 'cent-positions' });
    expect(positions.positionTotals).toEqual(['77.810000']);
    expect(positions.totalTaxes.toString()).toBe('6.30261');
    expect(positions.total.toFixed(2)).toBe('84.10');
    expect(bexioRoundingChoices[0].values).toEqual(['docs', 'cent-positions']);
  });

  it('example 3: fractional quantity → 54.05; difference +0.01 (docs) or 0.00 (cent-first)', () => {
    const lines = [line('1.5', '33.33', '8.1')];
    const docs = computeBexioTotals(lines, chf);
    expect(docs.totalNet.toString()).toBe('49.995');
    expect(docs.totalTaxes.toString()).toBe('4.049595');
    expect(docs.total.toFixed(2)).toBe('54.05');
    expect(docs.totalRoundingDifference.toFixed(2)).toBe('0.01');
    const centFirst = computeBexioTotals(lines, { ...chf, precision: 'cent-first' });
    expect(centFirst.totalNet.toFixed(2)).toBe('50.00');
    expect(centFirst.totalTaxes.toFixed(2)).toBe('4.05');
    expect(centFirst.total.toFixed(2)).toBe('54.05');
    expect(centFirst.totalRoundingDifference.toFixed(2)).toBe('0.00');
  });

  it('example 4: unit price with 4 decimals → 8.10, rounding difference −0.01', () => {
    const lines = [line('3', '2.4999', '8.1')];
    const docs = computeBexioTotals(lines, chf);
    expect(docs.totalNet.toString()).toBe('7.4997');
    expect(docs.totalTaxes.toDecimalPlaces(4).toString()).toBe('0.6075');
    expect(docs.total.toFixed(2)).toBe('8.10');
    expect(docs.totalRoundingDifference.toFixed(2)).toBe('-0.01');
    const centFirst = computeBexioTotals(lines, { ...chf, precision: 'cent-first' });
    expect(centFirst.totalTaxes.toFixed(2)).toBe('0.61');
    expect(centFirst.total.toFixed(2)).toBe('8.10');
  });

  it('example 5: gross prices keep the gross sum 141.20 (difference 0.00)', () => {
    const lines = [line('2', '59.90', '8.1'), line('1', '21.40', '2.6')];
    const docs = computeBexioTotals(lines, { ...chf, mwstIsNet: false });
    expect(docs.taxes.map((t) => t.value.toString())).toEqual(['0.5423', '8.976688']);
    expect(docs.totalTaxes.toString()).toBe('9.518988');
    expect(docs.totalNet.toDecimalPlaces(3).toString()).toBe('131.681');
    expect(docs.total.toFixed(2)).toBe('141.20');
    expect(docs.totalRoundingDifference.toFixed(2)).toBe('0.00');
    const centFirst = computeBexioTotals(lines, { ...chf, mwstIsNet: false, precision: 'cent-first' });
    expect(centFirst.totalTaxes.toFixed(2)).toBe('9.52');
    expect(centFirst.totalNet.toFixed(2)).toBe('131.68');
    expect(centFirst.total.toFixed(2)).toBe('141.20');
  });

  it('example 5 variant: gross 141.23 is 5-Rappen rounded to 141.25 (+0.02)', () => {
    const lines = [line('2', '59.90', '8.1'), line('1', '21.43', '2.6')];
    const centFirst = computeBexioTotals(lines, { ...chf, mwstIsNet: false, precision: 'cent-first' });
    expect(centFirst.totalNet.toFixed(2)).toBe('131.71');
    expect(centFirst.totalTaxes.toFixed(2)).toBe('9.52');
    expect(centFirst.total.toFixed(2)).toBe('141.25');
    expect(centFirst.totalRoundingDifference.toFixed(2)).toBe('0.02');
    expect(computeBexioTotals(lines, { ...chf, mwstIsNet: false }).total.toFixed(2)).toBe('141.25');
  });

  it('example 6a: the docs sample 5 × 3.56 @ 7.7 → total_taxes 1.3706, total 19.15, difference −0.02', () => {
    const docs = computeBexioTotals([line('5', '3.56', '7.7')], chf);
    expect(docs.positionTotals).toEqual(['17.800000']);
    expect(docs.totalNet.toFixed(6)).toBe('17.800000');
    expect(docs.totalGross.toFixed(6)).toBe('17.800000');
    expect(docs.totalTaxes.toString()).toBe('1.3706');
    expect(docs.total.toFixed(6)).toBe('19.150000');
    expect(docs.totalRoundingDifference.toNumber()).toBe(-0.02);
  });

  it('example 6b: 99.99 @ 8.1 → 108.10 in CHF (+0.01) and 108.09 with round_factor 0.01', () => {
    const lines = [line('1', '99.99', '8.1')];
    const inChf = computeBexioTotals(lines, chf);
    expect(inChf.total.toFixed(2)).toBe('108.10');
    expect(inChf.totalRoundingDifference.toFixed(2)).toBe('0.01');
    const inEur = computeBexioTotals(lines, { roundFactor: '0.01' });
    expect(inEur.total.toFixed(2)).toBe('108.09');
    expect(inEur.totalRoundingDifference.toFixed(2)).toBe('0.00');
  });

  it('example 6c: 12.30 @ 8.1 + 7.45 @ 2.6 → 20.95 (+0.01)', () => {
    const docs = computeBexioTotals([line('1', '12.30', '8.1'), line('1', '7.45', '2.6')], chf);
    expect(docs.totalTaxes.toString()).toBe('1.19');
    expect(docs.total.toFixed(2)).toBe('20.95');
    expect(docs.totalRoundingDifference.toFixed(2)).toBe('0.01');
  });

  it('adds no tax on an exempt document (mwst_type 2)', () => {
    const exempt = computeBexioTotals([line('1', '10.02', '8.1')], { ...chf, mwstType: 2 });
    expect(exempt.totalTaxes.toString()).toBe('0');
    expect(exempt.total.toFixed(2)).toBe('10.00');
  });
});

describe('roundToFactor', () => {
  it('rounds ties away from zero to the nearest 0.05', () => {
    expect(roundToFactor(dec('19.175'), '0.05').toFixed(2)).toBe('19.20');
    expect(roundToFactor(dec('19.17'), '0.05').toFixed(2)).toBe('19.15');
    expect(roundToFactor(dec('19.1706'), '0.01').toFixed(2)).toBe('19.17');
  });
});

describe('cents before the 5-Rappen rounding (money.md §5.3, settled)', () => {
  it('docs sample: total_rounding_difference −0.02 is measured from the cent-rounded sum, not from 19.1706', () => {
    const sample = computeBexioTotals([line('5', '3.56', '7.7')], chf);
    expect(sample.total.toFixed(2)).toBe('19.15');
    expect(sample.totalRoundingDifference.toString()).toBe('-0.02');
  });

  it('r05(r2(x)) = r05(x) for every non-negative amount with up to 6 decimals, so the order cannot change a total', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (micro) => {
        const x = dec(micro.toString()).dividedBy(1_000_000);
        expect(roundToFactor(roundHalfUp(x, 2), '0.05').toFixed(2)).toBe(roundToFactor(x, '0.05').toFixed(2));
      }),
      { numRuns: 2000 },
    );
    // The closest cases: just below and on a 5-Rappen tie.
    for (const x of ['19.074999', '19.075', '19.024999', '19.025']) {
      expect(roundToFactor(roundHalfUp(dec(x), 2), '0.05').toFixed(2)).toBe(roundToFactor(dec(x), '0.05').toFixed(2));
    }
  });
});
