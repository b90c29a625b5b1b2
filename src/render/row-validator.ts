// The row schema of a definition (its `variables` and `required`), compiled once per schema, and ajv's
// errors on a row as RowProblems.
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { DiagnosticCode } from '../errors.js';
import { createRowAjv, type MessageDefinition } from '../schema/index.js';
import { decodePointer } from '../util/index.js';

/** A problem with one row, before it is given a file and position. */
export interface RowProblem {
  code: DiagnosticCode;
  message: string;
  /** Variable / column the problem is about. */
  field?: string;
  /** Pointer into the rendered request, for request validation problems. */
  pointer?: string;
}

const rowAjv = { text: undefined as Ajv | undefined, typed: undefined as Ajv | undefined };

function variablesAjv(fromText: boolean): Ajv {
  const key = fromText ? 'text' : 'typed';
  let ajv = rowAjv[key];
  if (!ajv) {
    // CSV values are strings: coerce them to the declared types. JSON values keep their own types.
    ajv = createRowAjv(fromText);
    rowAjv[key] = ajv;
  }
  return ajv;
}

/** The JSON Schema of one row, from `variables` and `required`. */
export function rowSchema(definition: MessageDefinition): object | undefined {
  if (!definition.variables) return undefined;
  return { type: 'object', properties: definition.variables, required: definition.required ?? [] };
}

const rowValidators = new Map<string, ValidateFunction>();

/** Compile the row schema (cached: catalogs repeat the same variables); throws ajv's error for an invalid one. */
export function compileRowValidator(definition: MessageDefinition, fromText: boolean): ValidateFunction | undefined {
  const schema = rowSchema(definition);
  if (!schema) return undefined;
  const key = `${fromText ? 't' : 'j'}${JSON.stringify(schema)}`;
  let validate = rowValidators.get(key);
  if (!validate) {
    validate = variablesAjv(fromText).compile(schema);
    rowValidators.set(key, validate);
  }
  return validate;
}

export function rowProblems(errors: readonly ErrorObject[]): RowProblem[] {
  return errors.map((e) => {
    const field =
      e.keyword === 'required'
        ? String((e.params as { missingProperty: string }).missingProperty)
        : decodePointer(e.instancePath).join('.');
    const rule = e.keyword === 'required' ? 'is required' : `${e.message ?? 'is invalid'} (${e.keyword})`;
    return { code: 'E_ROW_INVALID', field, message: `${field || 'row'} ${rule}` };
  });
}
