/**
 * Model change as a root cause: a value of the model_version column (or other run metadata) whose rows carry the
 * extra error — a worse model serving part of the traffic. One candidate per value whose share of rows grew
 * (a version that served every row in both periods contrasts with nothing).
 */
import type { Candidate } from './candidate.js';
import { codeCounts, type CodedColumn } from './coding.js';
import { grew } from './feature-drift.js';
import { RowSet } from './row-sets.js';

export function modelChangeCandidates(versions: CodedColumn): Candidate[] {
  const referenceRows = codeCounts(versions.codes.reference, versions.levels.length);
  const currentRows = codeCounts(versions.codes.current, versions.levels.length);
  const candidates: Candidate[] = [];
  versions.levels.forEach((level, code) => {
    const grown = grew(referenceRows[code], versions.codes.reference.length, currentRows[code], versions.codes.current.length);
    if (level.test !== 'equals' || !grown) {
      return;
    }
    const accepted = new Uint8Array(versions.levels.length);
    accepted[code] = 1;
    candidates.push({
      kind: 'model_change',
      where: [{ column: versions.column, condition: level }],
      rows: { reference: RowSet.ofCodes(versions.codes.reference, accepted), current: RowSet.ofCodes(versions.codes.current, accepted) }
    });
  });
  return candidates;
}
