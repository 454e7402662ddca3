import { describe, expect, it } from 'vitest'
import { eventDetails, eventTitle } from './events'

describe('events', () => {
  it('names kinds', () => {
    const t = { dispatch: { name: '派单', from: [], to: [], roles: [] } }
    expect(eventTitle({ kind: 'dispatch' }, t)).toBe('派单')
    expect(eventTitle({ kind: 'contact_viewed' }, t)).toBe('查看联系方式')
    expect(eventTitle({ kind: 'callback_unreached' }, t)).toBe('回访未接通')
    expect(eventTitle({ kind: 'on_air' }, t)).toBe('登记《民心桥》节目答复')
    expect(eventTitle({ kind: 'rate', to_status: 'dispatched' }, t)).toBe('回访评价：不满意，自动重办')
    expect(eventTitle({ kind: 'mystery' }, t)).toBe('mystery')
  })
  it('reads details from data', () => {
    const data = JSON.stringify({ lead: 'chengguan', lead_name: '区城市管理和综合执法局', assist_names: ['坪山街道'], due_at: '2026-12-16T10:00:00Z', decision: 'reassign' })
    expect(eventDetails({ data })).toEqual(['结果：改派', '主办：区城市管理和综合执法局', '协办：坪山街道', '办理时限：2026-12-16 18:00'])
    expect(eventDetails({ data: JSON.stringify({ rating: { satisfaction: '不满意', speed: 2, effect: 1, experience: 0, reply_quality: 2, comment: '没修好' }, redo: 1 }) }))
      .toEqual(['第 1 次重办', '评价：不满意（速度 2，效果 1，答复 2）', '意见：没修好'])
    expect(eventDetails({ data: JSON.stringify({ stage: 'close', unit: 'chengguan', due_at: '2026-10-30T10:00:00Z' }) }, (id) => (id === 'chengguan' ? '区城管局' : id)))
      .toEqual(['环节：办结 · 区城管局', '办理时限：2026-10-30 18:00'])
    expect(eventDetails({ data: '' })).toEqual([])
    expect(eventDetails({ data: '{bad' })).toEqual([])
  })
})
