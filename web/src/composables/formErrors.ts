import { reactive, ref, watch } from 'vue'
import { mapError } from '../lib/errors'

/**
 * useFormErrors holds the API's messages for one form: errors[prop] goes to
 * <el-form-item :error>, general to an alert above the form. The form's
 * model is never touched, so nothing typed is lost when a submit fails.
 * Given the model, a field's message is cleared when that field changes.
 */
export function useFormErrors(props: readonly string[], aliases: Record<string, string> = {}, model?: Record<string, unknown>) {
  const errors = reactive<Record<string, string>>(Object.fromEntries(props.map((p) => [p, ''])))
  // A field's message goes away as soon as the user changes that field.
  if (model) {
    for (const p of props) {
      if (p in model) watch(() => model[p], () => (errors[p] = ''), { deep: true })
    }
  }
  const general = ref('')
  function clear(): void {
    for (const k of Object.keys(errors)) errors[k] = ''
    general.value = ''
  }
  function apply(err: unknown): void {
    const m = mapError(err, props, aliases)
    Object.assign(errors, m.fields)
    general.value = m.general
  }
  return { errors, general, clear, apply }
}
