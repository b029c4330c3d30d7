/**
 * Data quality as a root cause: rows whose value of a feature is missing, unseen in the reference (categorical) or
 * outside the reference [min, max] (numeric), when those rows carry the extra error (rank.ts decides). Values
 * outside the range of a feature whose drift alerts are the drift's moved region instead (feature-drift.ts):
 * the distribution moved past the training range, it did not break.
 */
import type { DataQuality, FeatureDrift } from '../types.js';
import type { Candidate, Condition } from './candidate.js';
import { readable, type CodedColumn } from './coding.js';
import { RowSet } from './row-sets.js';

export function dataQualityCandidates(quality: DataQuality[], drift: FeatureDrift[], columns: Map<string, CodedColumn>): Candidate[] {
  const drifted = new Set(drift.filter(entry => entry.drifted).map(entry => entry.feature));
  const candidates: Candidate[] = [];
  for (const entry of quality) {
    const coded = columns.get(entry.feature);
    if (!coded) {
      continue;
    }
    const found = (accepted: number[], condition: Condition): void => {
      const mask = new Uint8Array(coded.levels.length);
      accepted.forEach(code => (mask[code] = 1));
      candidates.push({
        kind: 'data_quality',
        feature: entry.feature,
        where: [{ column: entry.feature, condition }],
        rows: { reference: RowSet.ofCodes(coded.codes.reference, mask), current: RowSet.ofCodes(coded.codes.current, mask) }
      });
    };
    if (entry.missing.current > 0) {
      found([coded.missingCode], coded.levels[coded.missingCode]);
    }
    if (coded.type === 'categorical' && (entry.unseen_count ?? entry.unseen.length) > 0) {
      const unseen = coded.levels.flatMap((level, code) => (level.inReference || code === coded.missingCode ? [] : [code]));
      found(unseen, { test: 'unseen', label: '(unseen in reference)' });
    }
    if (coded.type === 'numeric' && entry.out_of_range > 0 && !drifted.has(entry.feature)) {
      const below = coded.levels[0];
      const above = coded.levels[coded.levels.length - 2];
      if (below.test === 'range' && above.test === 'range' && below.upper !== null && above.lower !== null) {
        const label = `outside [${readable(below.upper)}, ${readable(above.lower)}]`;
        found([0, coded.levels.length - 2], { test: 'out_of_range', minimum: below.upper, maximum: above.lower, label });
      }
    }
  }
  return candidates;
}
