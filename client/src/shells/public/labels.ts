/** Catalogue labels of the shelter fields the public sees (class, facilities, accessibility). */
import { LAYERS } from '../../../../core/catalogue/layers';
import type { Lang } from './messages';

const shelterFields = LAYERS.find((l) => l.id === 'shelters')?.fields ?? [];

/** The label of a code of a shelter enum field, or the code itself when the catalogue has none. */
export function optionLabel(field: string, code: string, lang: Lang): string {
  const option = shelterFields.find((f) => f.name === field)?.options?.find((o) => o.value === code);
  return option ? option[lang] : code;
}
