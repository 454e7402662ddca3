// Dates in the console are shown in Beijing time (Asia/Shanghai, UTC+8, no
// daylight saving), whatever the browser's own zone is.

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function pick(d: Date): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of parts.formatToParts(d)) out[p.type] = p.value
  return out
}

/** formatTime shows an RFC 3339 time as "2026-11-29 14:05" in Beijing time; "—" when empty. */
export function formatTime(iso: string | Date | undefined | null, withSeconds = false): string {
  if (!iso) return '—'
  const d = typeof iso === 'string' ? new Date(iso) : iso
  if (Number.isNaN(d.getTime())) return '—'
  const p = pick(d)
  const base = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
  return withSeconds ? `${base}:${p.second}` : base
}

/** formatDate shows the Beijing calendar day "2026-11-29". */
export function formatDate(iso: string | Date | undefined | null): string {
  return formatTime(iso).slice(0, 10)
}

/**
 * beijingToISO turns a picker's wall-clock value "2026-12-01 18:00" (meant as
 * Beijing time) into RFC 3339 with the +08:00 offset the API accepts.
 */
export function beijingToISO(wall: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim())
  if (!m) throw new Error('时间格式应为 YYYY-MM-DD HH:mm')
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}+08:00`
}

/** isoToBeijingWall is the inverse of beijingToISO, for prefilling pickers. */
export function isoToBeijingWall(iso: string | undefined | null): string {
  if (!iso) return ''
  return formatTime(iso)
}
