/**
 * Request templates of manifest entrypoints (generators/manifest.ts):
 * `{{uuid}}`, `{{int a b}}`, `{{pick a b c}}` and `{{key}}` (the operation's
 * request key). Rendering walks a JSON value; a string that is exactly one
 * `{{int a b}}` becomes a number so numeric body fields stay numbers.
 */
import { fail } from '../../../base/errors.js';
import type { Rng } from './rng.js';

/** One resource choice an op drew: the value of an `{{int a b}}` or `{{pick …}}`. */
export type Choice = string | number;

/** What a template may draw on for one operation. */
export interface TemplateContext {
  rng: Rng;
  /** The operation's request key. */
  key: string;
  /**
   * Receives every resource choice in rendering order; where `replay` holds
   * a value for that position it is used instead of a fresh draw, so an op
   * can address the same resources as an earlier one (workload/revisits.ts).
   */
  choices?: { drawn: Choice[]; replay?: readonly Choice[] };
}

/** One parsed `{{…}}` expression. */
export type TemplateExpr =
  | { kind: 'uuid' }
  | { kind: 'key' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'pick'; choices: string[] };

const EXPR = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Parse the inside of one `{{…}}`; throws BAD_INPUT naming the expression when unknown. */
export function parseExpr(inner: string): TemplateExpr {
  const parts = inner.trim().split(/\s+/).filter(Boolean);
  const [head, ...args] = parts;
  if (head === 'uuid' && args.length === 0) return { kind: 'uuid' };
  if (head === 'key' && args.length === 0) return { kind: 'key' };
  if (head === 'int' && args.length === 2) {
    const [min, max] = args.map(Number);
    if (Number.isInteger(min) && Number.isInteger(max) && min <= max) return { kind: 'int', min, max };
  }
  if (head === 'pick' && args.length > 0) return { kind: 'pick', choices: args };
  throw fail('BAD_INPUT', `unknown template expression {{${inner}}}: expected {{uuid}}, {{key}}, {{int a b}} (a ≤ b) or {{pick a b …}}`, {
    expression: inner,
  });
}

function evaluate(expr: TemplateExpr, ctx: TemplateContext): string | number {
  switch (expr.kind) {
    case 'uuid':
      return ctx.rng.uuid();
    case 'key':
      return ctx.key;
    case 'int':
      return choose(ctx, () => ctx.rng.int(expr.min, expr.max));
    case 'pick':
      return choose(ctx, () => expr.choices[Math.floor(ctx.rng.next() * expr.choices.length)]);
  }
}

/** A resource choice: replayed when the context replays one for this position, else drawn; recorded either way. */
function choose(ctx: TemplateContext, draw: () => Choice): Choice {
  const c = ctx.choices;
  if (!c) return draw();
  const v = c.replay !== undefined && c.drawn.length < c.replay.length ? c.replay[c.drawn.length] : draw();
  c.drawn.push(v);
  return v;
}

/** Render every `{{…}}` in a string. */
export function renderString(text: string, ctx: TemplateContext): string | number {
  const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(text);
  if (whole) {
    const expr = parseExpr(whole[1]);
    const v = evaluate(expr, ctx);
    return expr.kind === 'int' ? v : String(v);
  }
  return text.replace(EXPR, (_m, inner: string) => String(evaluate(parseExpr(inner), ctx)));
}

/**
 * Render every `{{…}}` in a URL (`/stock/{{pick a b}}`); each substituted
 * value is percent-encoded so it stays inside its path segment or query value.
 * `drawn`, when given, receives each substituted value in order (before
 * encoding): the resource the request addresses.
 */
export function renderUrl(url: string, ctx: TemplateContext, drawn?: string[]): string {
  return url.replace(EXPR, (_m, inner: string) => {
    const value = String(evaluate(parseExpr(inner), ctx));
    drawn?.push(value);
    return encodeURIComponent(value);
  });
}

/** Render a JSON value (objects, arrays, strings); other values pass through unchanged. */
export function renderTemplate(value: unknown, ctx: TemplateContext): unknown {
  if (typeof value === 'string') return renderString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, ctx));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderTemplate(v, ctx);
    return out;
  }
  return value;
}

/** Validate every expression in a template up front, so a bad template fails before the run starts. */
export function checkTemplate(value: unknown, path = '$'): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(EXPR)) {
      try {
        parseExpr(m[1]);
      } catch (err) {
        throw fail('BAD_INPUT', `${path}: ${(err as Error).message}`, { path, expression: m[1] });
      }
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => checkTemplate(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkTemplate(v, `${path}.${k}`);
}
