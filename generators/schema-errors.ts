/**
 * Turn ajv's errors into messages that name the offending key path the way a
 * person writes it (`proxies[2].edge.to`), shared by the manifest and plan
 * validators so both documents report errors alike.
 */
import type { ErrorObject } from 'ajv';

/** `/proxies/2/edge/to` → `proxies[2].edge.to`; the root is `/`. */
export function keyPath(pointer: string, prefix = ''): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = prefix;
  for (const p of parts) {
    if (/^\d+$/.test(p)) out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out === '' ? '/' : out;
}

/** One problem found in a document. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * One line per problem. `oneOf`/`if` wrappers are dropped when a more
 * specific error exists, so the user sees the key that was wrong.
 */
export function describeErrors(errors: readonly ErrorObject[], prefix = ''): SchemaProblem[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword));
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of chosen) {
    const p = problem(e, prefix);
    const key = `${p.path}: ${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

function problem(e: ErrorObject, prefix: string): SchemaProblem {
  const path = keyPath(e.instancePath, prefix);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path, message: `unknown key "${String(params.additionalProperty)}" at ${path}` };
    case 'required': {
      const missing = String(params.missingProperty);
      const full = path === '/' ? missing : `${path}.${missing}`;
      return { path: full, message: `${full}: is required` };
    }
    case 'enum':
      return { path, message: `${path}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path, message: `${path}: must be ${JSON.stringify(params.allowedValue)}` };
    case 'discriminator': {
      const name = typeof params.tag === 'string' ? params.tag : 'type';
      const tag = path === '/' ? name : `${path}.${name}`;
      return { path: tag, message: `${tag}: ${params.error === 'mapping' ? `unknown value ${JSON.stringify(params.tagValue)}` : 'must be a string'}` };
    }
    case 'type': {
      const t = String(params.type);
      return { path, message: `${path}: must be ${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t.replace(/,/g, ' or ')}` };
    }
    default:
      return { path, message: `${path}: ${e.message ?? 'is invalid'}` };
  }
}
