import { reactive } from 'vue'
import type { Appeal, Command } from '../api/types'

/** useActionDialog is the state of a page's one ActionDialog. */
export function useActionDialog() {
  const state = reactive({
    open: false,
    appeal: null as Appeal | null,
    command: null as Command | null,
    preset: null as Record<string, unknown> | null,
  })
  function run(appeal: Appeal, command: Command, preset: Record<string, unknown> | null = null): void {
    state.appeal = appeal
    state.command = command
    state.preset = preset
    state.open = true
  }
  return { state, run }
}
