/**
 * Column roles: the ones given are checked against the table, the others inferred from common names
 * (case-insensitive, "-" and " " read as "_"), each column taking one role at most. Features, when not
 * given, are the columns left after every other role. Per-class score columns of a multiclass trace are
 * inferred from the class names (`p_<class>`, `proba_<class>`, …) once the classes are known.
 */
import { InputError, type Roles } from './types.js';

type SingleRole = 'label' | 'prediction' | 'score' | 'timestamp' | 'latency' | 'model_version' | 'id';

/** Common names per role, in order of preference. */
export const ROLE_NAMES: Record<SingleRole, string[]> = {
  label: ['y', 'label', 'labels', 'target', 'y_true', 'ytrue', 'true_label', 'actual', 'actuals', 'ground_truth', 'truth', 'outcome'],
  prediction: ['y_hat', 'yhat', 'y_pred', 'ypred', 'pred', 'preds', 'prediction', 'predictions', 'predicted', 'predicted_label', 'y_predicted'],
  score: ['p', 'score', 'scores', 'proba', 'probability', 'prob', 'y_score', 'y_proba', 'y_prob', 'pred_proba', 'predicted_probability'],
  timestamp: ['ts', 'timestamp', 'time', 'date', 'datetime', 'event_time', 'created_at', 'timestamp_utc'],
  latency: ['latency', 'latency_ms', 'latency_s', 'inference_ms', 'inference_time', 'duration_ms', 'elapsed_ms'],
  model_version: ['model_version', 'modelversion', 'model_id', 'model_name'],
  id: ['id', 'row_id', 'sample_id', 'request_id', 'uid', 'uuid']
};

const SINGLE_ROLES = Object.keys(ROLE_NAMES) as SingleRole[];

/** Prefixes of per-class score columns, e.g. `proba_cat`. */
const SCORE_PREFIXES = ['p_', 'proba_', 'prob_', 'probability_', 'score_', 'y_proba_', 'y_score_', 'y_prob_'];

export interface ResolvedRoles {
  roles: Roles;
  /** Roles that were inferred rather than given ("label", "features", …). */
  inferred: string[];
}

/**
 * Check the given roles against `columns` and infer the missing ones. `source` names the data in messages.
 * An empty `features` list means "infer the features".
 */
export function resolveRoles(columns: string[], given: Partial<Roles>, source: string): ResolvedRoles {
  const available = new Set(columns);
  const check = (role: string, column: string): void => {
    if (!available.has(column)) {
      throw new InputError(`${role} column "${column}" not found in ${source} (columns: ${listColumns(columns)})`);
    }
  };

  const roles: Roles = { features: [], slices: [] };
  const inferred: string[] = [];
  const used = new Map<string, string>();
  const claim = (role: string, column: string): void => {
    const previous = used.get(column);
    if (previous !== undefined) {
      throw new InputError(`column "${column}" is given as both ${previous} and ${role}`);
    }
    used.set(column, role);
  };

  for (const role of SINGLE_ROLES) {
    const column = given[role];
    if (column !== undefined && column !== null) {
      check(role, column);
      claim(role, column);
      roles[role] = column;
    }
  }
  for (const column of given.scores ?? []) {
    check('score', column);
    claim('score', column);
  }
  if (given.scores && given.scores.length > 0) {
    roles.scores = [...given.scores];
  }
  for (const role of SINGLE_ROLES) {
    if (roles[role] !== undefined || (role === 'score' && roles.scores)) {
      continue;
    }
    const column = findByName(columns, ROLE_NAMES[role], used);
    if (column !== undefined) {
      roles[role] = column;
      used.set(column, role);
      inferred.push(role);
    }
  }

  for (const column of given.slices ?? []) {
    check('slice', column);
  }
  roles.slices = [...(given.slices ?? [])];
  if (given.features && given.features.length > 0) {
    for (const column of given.features) {
      check('feature', column);
      const role = used.get(column);
      if (role !== undefined) {
        throw new InputError(`column "${column}" is given as both ${role} and feature`);
      }
    }
    roles.features = [...new Set(given.features)];
  } else {
    roles.features = columns.filter(column => !used.has(column));
    inferred.push('features');
  }
  return { roles, inferred };
}

/** The first column whose normalized name is a candidate, in the candidates' order of preference. */
function findByName(columns: string[], candidates: string[], used: Map<string, string>): string | undefined {
  const free = columns.filter(column => !used.has(column));
  for (const candidate of candidates) {
    const match = free.find(column => normalizeName(column) === candidate);
    if (match !== undefined) {
      return match;
    }
  }
  return undefined;
}

export function normalizeName(column: string): string {
  return column.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Per-class score columns named `<prefix><class>` for every class, or null. */
export function inferScoreColumns(columns: string[], classes: string[]): string[] | null {
  for (const prefix of SCORE_PREFIXES) {
    const byClass = classes.map(name => columns.find(column => normalizeName(column) === normalizeName(prefix + name)));
    if (byClass.every(column => column !== undefined)) {
      return byClass as string[];
    }
  }
  return null;
}

export function listColumns(columns: string[]): string {
  const shown = columns.slice(0, 20).map(column => JSON.stringify(column)).join(', ');
  return columns.length > 20 ? `${shown}, … (${columns.length} columns)` : shown;
}
