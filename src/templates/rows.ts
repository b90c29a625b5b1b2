// Per-row checks of a rendered template: values are known only now (`{{name}}` from the data).
import type { DiagnosticCode } from '../errors.js';
import { lengthProblem, lockedTemplateFor, parameterTextProblem } from './checks.js';
import type { TemplateLock } from './lock.js';
import { isObj } from './shape.js';

export interface RenderedTemplateProblem {
  code: DiagnosticCode;
  /** Pointer into the rendered request. */
  pointer: string;
  /** The parameter key. */
  field: string;
  message: string;
}

/** The rendered request's `template`: characterLimit (from the lock, when locked) and WhatsApp's text rules. */
export function checkRenderedTemplate(request: Record<string, unknown>, lock: TemplateLock | undefined): RenderedTemplateProblem[] {
  const template = request.template;
  if (!isObj(template) || !Array.isArray(template.parameters)) return [];
  const resolved = lock ? lockedTemplateFor(lock, template) : undefined;
  const variables = resolved && 'template' in resolved ? resolved.template.variables : {};
  const problems: RenderedTemplateProblem[] = [];
  template.parameters.forEach((p, i) => {
    if (!isObj(p) || typeof p.key !== 'string') return;
    const value = typeof p.value === 'string' ? p.value : typeof p.value === 'number' ? String(p.value) : undefined;
    if (value === undefined) return;
    const pointer = `/template/parameters/${i}/value`;
    const long = lengthProblem(value, variables[p.key]);
    if (long) problems.push({ code: 'E_TEMPLATE_PARAM_LIMIT', pointer, field: p.key, message: `template parameter "${p.key}" ${long}` });
    const text = parameterTextProblem(value);
    if (text)
      problems.push({
        code: 'E_TEMPLATE_PARAM_TEXT',
        pointer,
        field: p.key,
        message: `template parameter "${p.key}" ${text}; WhatsApp refuses that in a template parameter`,
      });
  });
  return problems;
}
