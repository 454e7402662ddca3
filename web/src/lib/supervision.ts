// Pure rules of the supervision screens: who may 吹哨, 报到 or rate a
// summoned department, how a summoned department's report-in reads, and
// checking the dispatch catalogue typed into the admin's JSON editor. The
// API enforces every rule; these only decide which buttons are shown.
import type { Role, Status, Unit, Whistle, WhistleCall } from '../api/types'

export interface Who {
  unit_id: string
  roles: readonly Role[]
}

/** canWhistle: a handler or reporter of a street or community, on an appeal already dispatched and still open. */
export function canWhistle(who: Who | null, units: readonly Unit[], status: Status): boolean {
  if (!who || !who.roles.some((r) => r === 'handler' || r === 'reporter')) return false
  const kind = units.find((u) => u.id === who.unit_id)?.kind
  if (kind !== 'street' && kind !== 'community') return false
  return OPEN_DISPATCHED.includes(status)
}

const OPEN_DISPATCHED: Status[] = ['dispatched', 'signed', 'handling', 'returned', 'extension_requested', 'termination_requested']

/** RATABLE are the statuses after which the blowing unit rates the departments (办结后). */
export const RATABLE: Status[] = ['replied', 'reviewed', 'rated', 'unreachable', 'archived', 'terminated']

/** myCall is the call of the user's own department on a whistle, if it was summoned. */
export function myCall(w: Whistle, who: Who | null): WhistleCall | undefined {
  if (!who || !who.roles.includes('handler')) return undefined
  return (w.calls ?? []).find((c) => c.unit_id === who.unit_id)
}

/** canRate: the blowing unit, once the appeal is replied, for a department not yet rated. */
export function canRate(w: Whistle, c: WhistleCall, who: Who | null, status: Status): boolean {
  return !!who && w.unit_id === who.unit_id && RATABLE.includes(status) && !c.rating
}

export interface CallState {
  text: string
  type: 'success' | 'warning' | 'danger' | 'info'
}

/** callState says how a summoned department stands: reported on time, late, waiting or overdue. */
export function callState(c: WhistleCall, now: Date): CallState {
  const due = new Date(c.due_at).getTime()
  if (c.reported_at) {
    return new Date(c.reported_at).getTime() <= due ? { text: '按时报到', type: 'success' } : { text: '超时报到', type: 'warning' }
  }
  if (now.getTime() > due) return { text: '逾期未报到', type: 'danger' }
  const min = Math.max(1, Math.ceil((due - now.getTime()) / 60_000))
  return { text: `待报到（剩余 ${min} 分钟）`, type: 'info' }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/**
 * parseCatalogue checks the admin's JSON before it is sent: valid JSON, an
 * object with a non-empty rules array, each rule with id, category and lead.
 * The API validates the rest (units, community duties) and its message is
 * shown at the editor.
 */
export function parseCatalogue(text: string): Parsed<{ rules: Record<string, unknown>[]; note?: string }> {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    return { ok: false, error: `不是有效的 JSON：${(e as Error).message}` }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: '目录须为 JSON 对象，形如 {"note": "…", "rules": [...]}' }
  const rules = (v as { rules?: unknown }).rules
  if (!Array.isArray(rules) || rules.length === 0) return { ok: false, error: '目录须包含至少一条规则（rules）' }
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as Record<string, unknown>
    if (!r || typeof r !== 'object') return { ok: false, error: `第 ${i + 1} 条规则不是对象` }
    for (const k of ['id', 'category', 'lead']) {
      if (typeof r[k] !== 'string' || !(r[k] as string).trim()) return { ok: false, error: `第 ${i + 1} 条规则缺少 ${k}` }
    }
  }
  return { ok: true, value: v as { rules: Record<string, unknown>[]; note?: string } }
}
