// Deadline display for orders (工单时限). The server computes deadlines in
// working days on the Chinese calendar (holidays and 调休); the client only
// shows the time left until due_at in clock time ("剩余 1 天 3 小时"), so it is
// not exact in working days, and is not meant to be: it never decides
// anything, the server's sweeper does.
import type { Appeal, Status } from '../api/types'

export type DeadlineLevel = 'none' | 'ok' | 'warn' | 'overdue'

export interface DeadlineInfo {
  level: DeadlineLevel
  /** "剩余 1 天 3 小时", "已超期 2 小时", or "" when no clock runs. */
  text: string
  /** Milliseconds left; negative when overdue; NaN without a deadline. */
  remainingMs: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** The share of the whole time limit under which an order turns yellow. */
export const WARN_SHARE = 0.2

/** formatDuration writes a length of time in Chinese, at most two units: "1 天 3 小时", "2 小时 5 分钟", "15 分钟". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < MINUTE) return '不足 1 分钟'
  const days = Math.floor(abs / DAY)
  const hours = Math.floor((abs % DAY) / HOUR)
  const minutes = Math.floor((abs % HOUR) / MINUTE)
  if (days > 0) return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`
  if (hours > 0) return minutes > 0 ? `${hours} 小时 ${minutes} 分钟` : `${hours} 小时`
  return `${minutes} 分钟`
}

/** clockRunning reports whether the handling deadline of an appeal in this status is still counting. */
export function clockRunning(status: Status): boolean {
  switch (status) {
    case 'dispatched':
    case 'signed':
    case 'handling':
    case 'returned':
    case 'extension_requested':
    case 'termination_requested':
      return true
  }
  return false
}

/**
 * deadlineInfo classifies a deadline at now: red (overdue) after due, yellow
 * (warn) when less than WARN_SHARE of the whole limit is left, counted from
 * start (the API gives no dispatch time on the appeal, so callers pass
 * received_at; without a start, yellow means less than a day left).
 */
export function deadlineInfo(due: string | undefined | null, now: Date, start?: string | null, status?: Status): DeadlineInfo {
  if (!due || (status && !clockRunning(status))) return { level: 'none', text: '', remainingMs: NaN }
  const dueMs = new Date(due).getTime()
  if (Number.isNaN(dueMs)) return { level: 'none', text: '', remainingMs: NaN }
  const left = dueMs - now.getTime()
  if (left <= 0) return { level: 'overdue', text: `已超期 ${formatDuration(left)}`, remainingMs: left }
  let warn = left < DAY
  if (start) {
    const startMs = new Date(start).getTime()
    const total = dueMs - startMs
    if (!Number.isNaN(startMs) && total > 0) warn = left <= total * WARN_SHARE
  }
  return { level: warn ? 'warn' : 'ok', text: `剩余 ${formatDuration(left)}`, remainingMs: left }
}

/** Element Plus tag types per level. */
export const levelTag: Record<DeadlineLevel, 'info' | 'success' | 'warning' | 'danger'> = {
  none: 'info',
  ok: 'success',
  warn: 'warning',
  overdue: 'danger',
}

/** byDue sorts appeals by deadline, earliest first, those without one last. */
export function byDue<T extends { due_at?: string }>(a: T, b: T): number {
  const x = a.due_at ? new Date(a.due_at).getTime() : Infinity
  const y = b.due_at ? new Date(b.due_at).getTime() : Infinity
  return x - y
}

/** RowClock is the clock a list row shows. */
export interface RowClock {
  due?: string
  start?: string
  status?: Status
  label?: string
}

/**
 * rowClock is the handling deadline of an appeal while it runs, else the
 * running clock the list gives (the dispatch clock of an appeal waiting in
 * the queue), named by its stage.
 */
export function rowClock(a: Pick<Appeal, 'due_at' | 'due_label' | 'received_at' | 'status' | 'clock'>): RowClock {
  if (a.due_at && clockRunning(a.status)) return { due: a.due_at, start: a.received_at, status: a.status, label: a.due_label }
  if (a.clock) return { due: a.clock.due_at, start: a.received_at, label: `${a.clock.stage_name} · ${a.clock.label}` }
  return {}
}
