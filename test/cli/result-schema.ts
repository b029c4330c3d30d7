/**
 * JSON Schema of `modeltrace analyze --format json` (shared DESIGN section 5; docs/cli.md). Top-level keys
 * are fixed; objects may carry more keys than listed.
 */
const nullableNumber = { type: ['number', 'null'] };
const metricValues = { type: 'object', additionalProperties: nullableNumber };
const bound = { type: 'object', required: ['lower', 'upper'], properties: { lower: nullableNumber, upper: nullableNumber } };

export const ANALYSIS_SCHEMA = {
  type: 'object',
  required: ['version', 'task', 'rows', 'metrics', 'chunks', 'thresholds', 'alerts', 'drift', 'data_quality', 'root_causes'],
  properties: {
    version: { const: 1 },
    task: { enum: ['binary', 'multiclass', 'regression'] },
    rows: {
      type: 'object',
      required: ['reference', 'current'],
      properties: { reference: { type: 'integer', minimum: 0 }, current: { type: 'integer', minimum: 1 } }
    },
    metrics: {
      type: 'object',
      required: ['reference', 'current'],
      properties: { reference: { oneOf: [{ type: 'null' }, metricValues] }, current: metricValues }
    },
    chunks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['period', 'index', 'start', 'end', 'rows', 'metrics', 'drift'],
        properties: {
          period: { enum: ['reference', 'current'] },
          index: { type: 'integer', minimum: 0 },
          start: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' },
          end: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' },
          rows: { type: 'integer', minimum: 1 },
          metrics: metricValues,
          drift: {
            type: 'object',
            additionalProperties: { type: 'object', required: ['jensen_shannon'], properties: { jensen_shannon: nullableNumber } }
          }
        }
      }
    },
    thresholds: { type: 'object', additionalProperties: bound },
    alerts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['period', 'index', 'metric', 'value', 'lower', 'upper'],
        properties: {
          period: { const: 'current' },
          index: { type: 'integer', minimum: 0 },
          metric: { type: 'string' },
          value: { type: 'number' },
          lower: nullableNumber,
          upper: nullableNumber
        }
      }
    },
    drift: {
      type: 'array',
      items: {
        type: 'object',
        required: ['feature', 'type', 'drifted', 'methods'],
        properties: {
          feature: { type: 'string' },
          type: { enum: ['numeric', 'categorical'] },
          drifted: { type: 'boolean' },
          methods: {
            type: 'object',
            additionalProperties: false,
            properties: {
              ks: { type: 'object', required: ['statistic', 'p_value'], properties: { statistic: { type: 'number' }, p_value: { type: 'number' } } },
              jensen_shannon: { type: 'object', required: ['value'], properties: { value: { type: 'number' } } },
              psi: { type: 'object', required: ['value'], properties: { value: { type: 'number' } } },
              wasserstein: { type: 'object', required: ['value', 'normed'], properties: { value: { type: 'number' }, normed: { type: 'number' } } },
              chi2: { type: 'object', required: ['statistic', 'p_value'], properties: { statistic: { type: 'number' }, p_value: { type: 'number' } } }
            }
          }
        }
      }
    },
    data_quality: {
      type: 'array',
      items: {
        type: 'object',
        required: ['feature', 'missing', 'unseen', 'out_of_range', 'type_mismatches'],
        properties: {
          feature: { type: 'string' },
          missing: { type: 'object', required: ['reference', 'current'], properties: { reference: nullableNumber, current: { type: 'number' } } },
          unseen: { type: 'array', items: { type: 'string' }, maxItems: 50 },
          out_of_range: { type: 'number', minimum: 0, maximum: 1 },
          type_mismatches: { type: 'object', required: ['reference', 'current'] }
        }
      }
    },
    root_causes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rank', 'kind', 'metric', 'score', 'summary'],
        properties: {
          rank: { type: 'integer', minimum: 1 },
          kind: { enum: ['feature_drift', 'slice', 'data_quality', 'label_shift', 'model_change', 'code_change'] },
          feature: { type: 'string' },
          slice: { type: 'object' },
          metric: { type: 'string' },
          score: { type: 'number', minimum: 0, maximum: 1 },
          summary: { type: 'string' }
        }
      }
    }
  }
} as const;
