// Mapping API errors onto forms: the API names the offending input in
// `field` (its JSON name, e.g. "contact_phone", "rating.satisfaction",
// "lead_unit_id"); forms use the same names as their props, so the message
// is shown next to that field. Anything that names no field of the form is
// shown above it instead — never dropped.
import { ApiError } from '../api/client'

export interface MappedError {
  /** Messages by form prop. */
  fields: Record<string, string>
  /** A message for the whole form, when no field fits. */
  general: string
}

/**
 * fieldFor finds the form prop an API field refers to: the same name, an
 * alias, or for a dotted path ("rating.satisfaction") its last then first
 * segment. It returns null when the form has no such field.
 */
export function fieldFor(apiField: string | undefined, props: readonly string[], aliases: Record<string, string> = {}): string | null {
  if (!apiField) return null
  const candidates = [apiField, aliases[apiField]]
  if (apiField.includes('.')) {
    const segs = apiField.split('.')
    candidates.push(segs[segs.length - 1], aliases[segs[segs.length - 1]], segs[0], aliases[segs[0]])
  }
  for (const c of candidates) {
    if (c && props.includes(c)) return c
  }
  return null
}

/** mapError turns any thrown value into messages for a form with props. */
export function mapError(err: unknown, props: readonly string[], aliases: Record<string, string> = {}): MappedError {
  if (err instanceof ApiError) {
    const f = fieldFor(err.field, props, aliases)
    if (f) return { fields: { [f]: err.message }, general: '' }
    return { fields: {}, general: err.message }
  }
  if (err instanceof Error && err.message) return { fields: {}, general: err.message }
  return { fields: {}, general: '操作失败，请稍后重试' }
}
