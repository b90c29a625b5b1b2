// The per-locale side of rendering (docs/message-format.md#locales): the row's locale normalised,
// the fallback chain, the content of the locale the recipient gets.
import type { DiagnosticCode } from '../errors.js';
import type { MessageDefinition } from '../schema/index.js';
import type { JsonObject } from '../types.js';
import { localeChooser, normalizeLocale, type LocaleChoice } from '../util/index.js';
import { RenderFailure } from './helpers.js';
import type { TemplateEnv } from './template.js';

/** The locale a recipient asked for (canonical) and the one they get; `fallback` when they differ. */
export interface RowLocale {
  requested: string;
  used: string;
  fallback: boolean;
}

type LocalePick<N> =
  | { ok: true; locale: RowLocale & { format: string }; content: N }
  | { ok: false; problem: { code: DiagnosticCode; field: string; message: string } };

export interface CompiledLocales<N> {
  /** The row's locale (or `force`), the locale it gets and that locale's content. */
  pick(values: object, force?: string): LocalePick<N>;
  /** The content is a template without its own `locale`: the request gets the recipient's. */
  templateFollows: boolean;
}

/**
 * The per-locale side of a message with `locale`: the locale template, the content of every
 * translation, and the choice (cached per distinct raw value and per distinct locale: a million
 * rows in a handful of languages normalise and resolve a handful of times).
 */
export function compileLocales<N>(
  definition: MessageDefinition,
  env: TemplateEnv,
  content: N,
  /** Compiles a translation's body as the default body is (its pointers are `/body/...`: the request has one body). */
  compileBody: (body: JsonObject) => N,
  templateLocale: ((template: JsonObject) => ((requested: string) => LocaleChoice) | undefined) | undefined,
  /** The variable a template string is exactly (`"{{lang}}"` → `lang`), for the row error's column. */
  variableOf: (source: string) => string | undefined,
): CompiledLocales<N> | undefined {
  if (definition.locale === undefined || definition.defaultLocale === undefined) return undefined;
  const defaultLocale = definition.defaultLocale;
  const source = env.compile(definition.locale);
  const field = variableOf(definition.locale) ?? 'locale';
  const contents = new Map<string, N>([[defaultLocale, content]]);
  for (const [key, translation] of Object.entries(definition.translations ?? {})) contents.set(key, compileBody(translation.body));
  const templateFollows = definition.template !== undefined && typeof definition.template.locale !== 'string';
  const policy = definition.localeFallback ?? 'default';
  // Without a lock to ask, a template follows the recipient's locale as it is (validate warns of no lock).
  const choose = templateFollows
    ? (templateLocale?.(definition.template!) ??
      ((requested: string): LocaleChoice => ({ ok: true, requested, used: requested, fallback: false })))
    : localeChooser(new Set(contents.keys()), defaultLocale, policy);
  return {
    templateFollows,
    pick: (values, force) => {
      let requested: string;
      if (force !== undefined) requested = force;
      else {
        let raw: string;
        try {
          raw = source(values);
        } catch (error) {
          if (!(error instanceof RenderFailure)) throw error;
          return { ok: false, problem: { code: error.code, message: error.message, field: error.variable ?? field } };
        }
        const normal = normalizeLocale(raw);
        if (!normal.ok)
          return { ok: false, problem: { code: 'E_LOCALE_INVALID', field, message: `locale ${JSON.stringify(raw)} ${normal.reason}` } };
        requested = normal.locale;
      }
      const choice = choose(requested);
      if (!choice.ok) return { ok: false, problem: { code: 'E_LOCALE_UNAVAILABLE', field, message: choice.reason } };
      // Formatting speaks the recipient's own tag where the text is in their language (pt-BR in the pt
      // text: R$ and Brazilian dates), and the text's language where it fell back to another.
      const format = choice.requested.split('-')[0] === choice.used.split('-')[0] ? choice.requested : choice.used;
      return {
        ok: true,
        locale: { requested: choice.requested, used: choice.used, fallback: choice.fallback, format },
        content: templateFollows ? content : contents.get(choice.used)!,
      };
    },
  };
}
