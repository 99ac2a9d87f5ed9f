import type { FieldDef, LayerDef } from './types.js';

export interface FieldProblem {
  field: string;
  reason: string;
}

function check(field: FieldDef, value: unknown): string | undefined {
  const values = field.options?.map((o) => o.value) ?? [];
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? undefined : `expected text, got ${JSON.stringify(value)}`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `expected a whole number, got ${JSON.stringify(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `expected a number, got ${JSON.stringify(value)}`;
    case 'enum':
      return values.includes(value as string) ? undefined : `"${String(value)}" is not one of ${values.join(', ')}`;
    case 'enum[]':
      if (!Array.isArray(value)) return `expected a list of ${values.join(', ')}`;
      return value.find((v) => !values.includes(v)) !== undefined ? `${JSON.stringify(value)} has values outside ${values.join(', ')}` : undefined;
    case 'items':
      if (!Array.isArray(value)) return 'expected a list of {item, quantity}';
      for (const it of value as { item?: unknown; quantity?: unknown }[]) {
        if (!values.includes(it?.item as string)) return `unknown item "${String(it?.item)}"; known: ${values.join(', ')}`;
        if (!Number.isInteger(it.quantity) || (it.quantity as number) < 0) return `quantity of ${String(it.item)} must be a whole number ≥ 0`;
      }
      return undefined;
  }
}

/**
 * Checks a feature's properties against the catalogue: every present field has the right type and
 * an allowed value, and no property is unknown to the layer. Missing fields are allowed (null).
 */
export function validateProperties(layer: LayerDef, properties: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const field = layer.fields.find((f) => f.name === name);
    if (!field) {
      problems.push({ field: name, reason: `not a field of layer "${layer.id}"` });
      continue;
    }
    if (value === null || value === undefined) continue;
    const reason = check(field, value);
    if (reason) problems.push({ field: name, reason });
  }
  return problems;
}
