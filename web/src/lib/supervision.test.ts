import { describe, expect, it } from 'vitest'
import type { Unit, Whistle } from '../api/types'
import { callState, canRate, canWhistle, myCall, parseCatalogue } from './supervision'

const units: Unit[] = [
  { id: 'st-pingshan', name: '坪山街道', kind: 'street' },
  { id: 'c-liuhe', name: '六和社区', kind: 'community', parent_id: 'st-pingshan' },
  { id: 'chengguan', name: '城管', kind: 'department' },
  { id: 'ps-centre', name: '分拨中心', kind: 'centre' },
]
const w: Whistle = {
  id: 1, appeal_id: 9, unit_id: 'st-pingshan', reason: '占道', created_by: 1, created_at: '2026-01-01T00:00:00Z',
  calls: [{ unit_id: 'chengguan', due_at: '2026-01-01T00:30:00Z' }],
}

describe('canWhistle', () => {
  it('lets street and community staff blow on a dispatched open appeal', () => {
    expect(canWhistle({ unit_id: 'st-pingshan', roles: ['handler'] }, units, 'signed')).toBe(true)
    expect(canWhistle({ unit_id: 'c-liuhe', roles: ['reporter', 'handler'] }, units, 'dispatched')).toBe(true)
  })
  it('refuses departments, the centre, and closed or undispatched appeals', () => {
    expect(canWhistle({ unit_id: 'chengguan', roles: ['handler'] }, units, 'signed')).toBe(false)
    expect(canWhistle({ unit_id: 'ps-centre', roles: ['supervisor'] }, units, 'signed')).toBe(false)
    expect(canWhistle({ unit_id: 'st-pingshan', roles: ['handler'] }, units, 'received')).toBe(false)
    expect(canWhistle({ unit_id: 'st-pingshan', roles: ['handler'] }, units, 'archived')).toBe(false)
    expect(canWhistle(null, units, 'signed')).toBe(false)
  })
})

describe('report-in and rating', () => {
  it('finds the summoned department of a handler only', () => {
    expect(myCall(w, { unit_id: 'chengguan', roles: ['handler'] })?.unit_id).toBe('chengguan')
    expect(myCall(w, { unit_id: 'chengguan', roles: ['leader'] })).toBeUndefined()
    expect(myCall(w, { unit_id: 'st-pingshan', roles: ['handler'] })).toBeUndefined()
  })
  it('lets the blowing unit rate once the appeal is replied, once', () => {
    const c = w.calls![0]
    expect(canRate(w, c, { unit_id: 'st-pingshan', roles: ['handler'] }, 'replied')).toBe(true)
    expect(canRate(w, c, { unit_id: 'st-pingshan', roles: ['handler'] }, 'handling')).toBe(false)
    expect(canRate(w, c, { unit_id: 'chengguan', roles: ['handler'] }, 'replied')).toBe(false)
    expect(canRate(w, { ...c, rating: 4 }, { unit_id: 'st-pingshan', roles: ['handler'] }, 'replied')).toBe(false)
  })
  it('reads the report-in state', () => {
    const due = '2026-01-01T00:30:00Z'
    expect(callState({ unit_id: 'x', due_at: due, reported_at: '2026-01-01T00:10:00Z' }, new Date()).text).toBe('按时报到')
    expect(callState({ unit_id: 'x', due_at: due, reported_at: '2026-01-01T00:40:00Z' }, new Date()).text).toBe('超时报到')
    expect(callState({ unit_id: 'x', due_at: due }, new Date('2026-01-01T00:31:00Z'))).toEqual({ text: '逾期未报到', type: 'danger' })
    expect(callState({ unit_id: 'x', due_at: due }, new Date('2026-01-01T00:10:30Z')).text).toBe('待报到（剩余 20 分钟）')
  })
})

describe('parseCatalogue', () => {
  it('accepts a catalogue with rules', () => {
    const r = parseCatalogue('{"note":"n","rules":[{"id":"r1","category":"城乡建设","lead":"chengguan"}]}')
    expect(r.ok).toBe(true)
  })
  it('explains what is wrong in Chinese', () => {
    const bad = parseCatalogue('{"rules": [')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error).toMatch(/^不是有效的 JSON/)
    expect(parseCatalogue('[]')).toEqual({ ok: false, error: '目录须为 JSON 对象，形如 {"note": "…", "rules": [...]}' })
    expect(parseCatalogue('{"rules": []}')).toEqual({ ok: false, error: '目录须包含至少一条规则（rules）' })
    expect(parseCatalogue('{"rules": [{"id":"a","category":"x"}]}')).toEqual({ ok: false, error: '第 1 条规则缺少 lead' })
  })
})
