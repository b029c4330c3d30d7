/**
 * The probe of a cause: pandas code that isolates its rows in DataFrames named `current` and `reference` and
 * prints their number and the primary metric, for the "insert a probe cell" action. Column names and values are
 * written as Python literals; numeric bounds keep full precision.
 */
import type { Roles, Task } from '../types.js';
import type { Candidate, Condition } from './candidate.js';
import type { PrimaryMetric } from './degradation.js';

export function probeCode(candidate: Candidate, roles: Roles, task: Task, metric: PrimaryMetric): string {
  const tests = candidate.where.map(({ column, condition }) => `(${conditionCode('frame', column, condition)})`);
  const lines = [
    `def isolate(frame):`,
    `    return frame[${tests.join(' & ')}]`,
    ``,
    `probe = isolate(current)`
  ];
  const measure = metricCode(roles, task, metric);
  if (measure) {
    lines.push(
      `print(len(probe), "of", len(current), "current rows;", "${measure.name}", ${measure.code('probe')}, "vs", ${measure.code('current')}, "overall")`,
      `baseline = isolate(reference)`,
      `print(len(baseline), "of", len(reference), "reference rows;", "${measure.name}", ${measure.code('baseline')}, "vs", ${measure.code('reference')}, "overall")`
    );
  } else {
    lines.push(`print(len(probe), "of", len(current), "current rows")`);
  }
  return lines.join('\n');
}

function conditionCode(frame: string, column: string, condition: Condition): string {
  const series = `${frame}[${pythonLiteral(column)}]`;
  switch (condition.test) {
    case 'equals':
      return `${series} == ${pythonLiteral(condition.value)}`;
    case 'in':
      return `${series}.isin([${condition.values.map(pythonLiteral).join(', ')}])`;
    case 'missing':
      return `${series}.isna()`;
    case 'other':
      return `${series}.notna()`;
    case 'unseen':
      return `${series}.notna() & ~${series}.isin(reference[${pythonLiteral(column)}].unique())`;
    case 'out_of_range':
      return `(${series} < ${condition.minimum}) | (${series} > ${condition.maximum})`;
    case 'range': {
      const parts: string[] = [];
      if (condition.lower !== null) {
        parts.push(`(${series} ${condition.lowerClosed ? '>=' : '>'} ${condition.lower})`);
      }
      if (condition.upper !== null) {
        parts.push(`(${series} ${condition.upperClosed ? '<=' : '<'} ${condition.upper})`);
      }
      return parts.length > 0 ? parts.join(' & ') : `${series}.notna()`;
    }
  }
}

function metricCode(roles: Roles, task: Task, metric: PrimaryMetric): { name: string; code: (frame: string) => string } | null {
  if (!roles.label || !roles.prediction) {
    return null;
  }
  const label = pythonLiteral(roles.label);
  const prediction = pythonLiteral(roles.prediction);
  if (task !== 'regression') {
    return { name: 'accuracy', code: frame => `(${frame}[${label}] == ${frame}[${prediction}]).mean()` };
  }
  return metric.error === 'squared'
    ? { name: 'rmse', code: frame => `((${frame}[${label}] - ${frame}[${prediction}]) ** 2).mean() ** 0.5` }
    : { name: 'mae', code: frame => `(${frame}[${label}] - ${frame}[${prediction}]).abs().mean()` };
}

/** A Python literal: strings double-quoted (JSON escapes are valid Python), True/False, numbers as JavaScript writes them. */
export function pythonLiteral(value: string | number | boolean): string {
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : value > 0 ? 'float("inf")' : value < 0 ? 'float("-inf")' : 'float("nan")';
  }
  return JSON.stringify(value);
}
