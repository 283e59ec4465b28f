/**
 * A checker for the XSD subset in test/fixtures/junit.xsd: which elements
 * exist, which attributes each may carry (and which are required), which
 * children it may contain and whether it may hold text. Read from the XSD
 * itself with fast-xml-parser, so the test checks reports against the
 * published schema's rules rather than against our own idea of them.
 */
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

interface ElementRule {
  attributes: Map<string, boolean>;
  children: Set<string>;
  text: boolean;
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, trimValues: false });

const tagOf = (n: Ordered) => Object.keys(n).find((k) => k !== ':@') as string;
const kids = (n: Ordered) => (n[tagOf(n)] as Ordered[]) ?? [];

function collect(nodes: Ordered[], rule: ElementRule): void {
  for (const n of nodes) {
    const tag = tagOf(n);
    const a = n[':@'] ?? {};
    if (tag === 'xs:attribute') rule.attributes.set(a.name, a.use === 'required');
    else if (tag === 'xs:element' && a.ref) rule.children.add(a.ref);
    else if (tag === 'xs:complexType' && a.mixed === 'true') {
      rule.text = true;
      collect(kids(n), rule);
    } else if (tag !== '#text') collect(kids(n), rule);
  }
}

/** The rules of every top-level element the XSD declares. */
export function loadXsd(path: string): Map<string, ElementRule> {
  const doc = parser.parse(readFileSync(path, 'utf8')) as Ordered[];
  const schema = doc.find((n) => tagOf(n) === 'xs:schema');
  if (!schema) throw new Error('no xs:schema');
  const rules = new Map<string, ElementRule>();
  for (const el of kids(schema).filter((n) => tagOf(n) === 'xs:element')) {
    const a = el[':@'] ?? {};
    const rule: ElementRule = { attributes: new Map(), children: new Set(), text: a.type === 'xs:string' };
    collect(kids(el), rule);
    rules.set(a.name, rule);
  }
  return rules;
}

/** Problems of `xml` against the rules, rooted at `root`; empty when it conforms. */
export function validateAgainst(xml: string, rules: Map<string, ElementRule>, root: string): string[] {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return [`not well-formed: ${wellFormed.err.msg} at ${wellFormed.err.line}:${wellFormed.err.col}`];
  const doc = (parser.parse(xml) as Ordered[]).filter((n) => tagOf(n) !== '?xml' && !(tagOf(n) === '#text' && String(n['#text']).trim() === ''));
  const problems: string[] = [];
  if (doc.length !== 1 || tagOf(doc[0]) !== root) problems.push(`root must be one <${root}>, got ${doc.map(tagOf).join(', ')}`);
  const visit = (n: Ordered, where: string) => {
    const tag = tagOf(n);
    const rule = rules.get(tag);
    if (!rule) return problems.push(`${where}: <${tag}> is not declared`);
    const attrs = n[':@'] ?? {};
    for (const name of Object.keys(attrs)) if (!rule.attributes.has(name)) problems.push(`${where}/${tag}: attribute ${name} is not declared`);
    for (const [name, required] of rule.attributes) if (required && !(name in attrs)) problems.push(`${where}/${tag}: required attribute ${name} missing`);
    for (const c of kids(n)) {
      const ct = tagOf(c);
      if (ct === '#text') {
        if (!rule.text && String(c['#text']).trim() !== '') problems.push(`${where}/${tag}: text not allowed`);
      } else if (!rule.children.has(ct)) problems.push(`${where}/${tag}: <${ct}> not allowed here`);
      else visit(c, `${where}/${tag}`);
    }
    return undefined;
  };
  for (const n of doc) visit(n, '');
  return problems;
}
