import { describe, expect, it } from 'vitest'
import { byDue, deadlineInfo, formatDuration, rowClock } from './deadline'

const now = new Date('2026-11-29T08:00:00Z')
const H = 3_600_000

describe('formatDuration', () => {
  it.each([
    [27 * H, '1 天 3 小时'],
    [48 * H, '2 天'],
    [48 * H + 59 * 60_000, '2 天'],
    [2 * H, '2 小时'],
    [2 * H + 5 * 60_000, '2 小时 5 分钟'],
    [15 * 60_000, '15 分钟'],
    [30_000, '不足 1 分钟'],
    [-2 * H, '2 小时'],
  ])('%d ms → %s', (ms, want) => {
    expect(formatDuration(ms)).toBe(want)
  })
})

describe('deadlineInfo', () => {
  it('counts the time left', () => {
    const d = deadlineInfo(new Date(now.getTime() + 27 * H).toISOString(), now, '2026-11-27T08:00:00Z')
    expect(d).toMatchObject({ level: 'ok', text: '剩余 1 天 3 小时' })
  })
  it('is red after the deadline', () => {
    const d = deadlineInfo(new Date(now.getTime() - 2 * H).toISOString(), now, '2026-11-20T00:00:00Z')
    expect(d).toMatchObject({ level: 'overdue', text: '已超期 2 小时' })
    expect(d.remainingMs).toBe(-2 * H)
  })
  it('is red exactly at the deadline', () => {
    expect(deadlineInfo(now.toISOString(), now).level).toBe('overdue')
  })
  it('is yellow within 20% of the whole limit', () => {
    // 10 days in all, 1 day 23 hours left: under 20%.
    const start = new Date(now.getTime() - (8 * 24 + 1) * H).toISOString()
    const due = new Date(now.getTime() + 47 * H).toISOString()
    expect(deadlineInfo(due, now, start).level).toBe('warn')
    // 10 days in all, 3 days left: green.
    const due2 = new Date(now.getTime() + 72 * H).toISOString()
    const start2 = new Date(now.getTime() - 7 * 24 * H).toISOString()
    expect(deadlineInfo(due2, now, start2).level).toBe('ok')
  })
  it('without a start, is yellow under a day', () => {
    expect(deadlineInfo(new Date(now.getTime() + 5 * H).toISOString(), now).level).toBe('warn')
    expect(deadlineInfo(new Date(now.getTime() + 30 * H).toISOString(), now).level).toBe('ok')
  })
  it('shows nothing once the clock stops or without a deadline', () => {
    expect(deadlineInfo(undefined, now).level).toBe('none')
    expect(deadlineInfo('2026-11-01T00:00:00Z', now, null, 'replied')).toMatchObject({ level: 'none', text: '' })
    expect(deadlineInfo('2026-11-01T00:00:00Z', now, null, 'handling').level).toBe('overdue')
  })
})

describe('byDue', () => {
  it('sorts earliest first, none last', () => {
    const list = [{ due_at: '2026-12-02T00:00:00Z' }, {}, { due_at: '2026-12-01T00:00:00Z' }]
    expect(list.sort(byDue).map((x) => (x as { due_at?: string }).due_at)).toEqual(['2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', undefined])
  })
})

describe('rowClock', () => {
  const base = { received_at: '2026-10-08T01:00:00Z', due_label: '剩余 3 个工作日' }
  it('shows the handling deadline while it runs', () => {
    expect(rowClock({ ...base, status: 'signed', due_at: '2026-10-20T10:00:00Z' })).toEqual({
      due: '2026-10-20T10:00:00Z', start: base.received_at, status: 'signed', label: '剩余 3 个工作日' })
  })
  it('shows the dispatch clock of an appeal waiting in the queue, named by its stage', () => {
    const clock = { stage: 'dispatch', stage_name: '派单', state: 'open' as const, due_at: '2026-10-08T03:00:00Z', label: '剩余 1 小时' }
    expect(rowClock({ ...base, status: 'received', clock })).toEqual({ due: clock.due_at, start: base.received_at, label: '派单 · 剩余 1 小时' })
  })
  it('shows nothing without a running clock', () => {
    expect(rowClock({ ...base, status: 'archived', due_at: '2026-10-20T10:00:00Z' })).toEqual({})
  })
})
