/**
 * The values of a numeric column that take part in drift statistics: every value except NaN (missing values are
 * excluded from drift and reported by data quality instead). ±Infinity is kept, as scipy and numpy keep it; the
 * statistics that cannot handle it say so. The column is not copied when it has no missing value.
 */

export interface NumericSample {
  /** The non-missing values, in column order. */
  values: Float64Array;
  /** Smallest and largest value; NaN for an empty sample. */
  minimum: number;
  maximum: number;
  /** False when a value is ±Infinity. */
  allFinite: boolean;
}

export function numericSample(column: Float64Array): NumericSample {
  let missing = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    if (value !== value) {
      missing++;
    } else {
      if (value < minimum) {
        minimum = value;
      }
      if (value > maximum) {
        maximum = value;
      }
    }
  }
  if (missing === column.length) {
    return { values: new Float64Array(0), minimum: NaN, maximum: NaN, allFinite: true };
  }
  let values = column;
  if (missing > 0) {
    values = new Float64Array(column.length - missing);
    let next = 0;
    for (let i = 0; i < column.length; i++) {
      const value = column[i];
      if (value === value) {
        values[next++] = value;
      }
    }
  }
  return { values, minimum, maximum, allFinite: Number.isFinite(minimum) && Number.isFinite(maximum) };
}
