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
    expect(eventTitle({ kind: 'imported' }, t)).toBe('导入历史记录（原系统）')
    expect(eventTitle({ kind: 'mystery' }, t)).toBe('mystery')
  })
  it('reads details from data', () => {
    const data = JSON.stringify({ lead: 'chengguan', lead_name: '区城市管理和综合执法局', assist_names: ['坪山街道'], due_at: '2026-12-16T10:00:00Z', decision: 'reassign' })
    expect(eventDetails({ data })).toEqual(['结果：改派', '主办：区城市管理和综合执法局', '协办：坪山街道', '办理时限：2026-12-16 18:00'])
    expect(eventDetails({ data: JSON.stringify({ rating: { satisfaction: '不满意', speed: 2, effect: 1, experience: 0, reply_quality: 2, comment: '没修好' }, redo: 1 }) }))
      .toEqual(['第 1 次重办', '评价：不满意（速度 2，效果 1，答复 2）', '意见：没修好'])
    expect(eventDetails({ data: JSON.stringify({ stage: 'close', unit: 'chengguan', due_at: '2026-10-30T10:00:00Z' }) }, (id) => (id === 'chengguan' ? '区城管局' : id)))
      .toEqual(['环节：办结 · 区城管局', '办理时限：2026-10-30 18:00'])
    expect(eventDetails({ data: JSON.stringify({ children: ['PS1-1', 'PS1-2'], callback: 'part' }) })).toEqual(['子单：PS1-1、PS1-2'])
    expect(eventDetails({ data: JSON.stringify({ lead_name: '六和社区', from_name: '坪山街道' }) })).toEqual(['主办：六和社区', '转派自：坪山街道（抄送，仍负首接责任）'])
    expect(eventDetails({ data: JSON.stringify({ assignee: 7, assignee_name: '刘洋' }) })).toEqual(['处理人：刘洋'])
    expect(eventDetails({ data: JSON.stringify({ import_source: '旧平台', source_id: 'OLD-1', lead: 'chengguan', lead_name: '区城管局', result_class: '已解决', closed_at: '2025-03-05T09:00:00Z' }) }))
      .toEqual(['主办：区城管局', '办理结果：已解决', '导入自：旧平台（原编号 OLD-1）', '原办结时间：2025-03-05 17:00'])
    expect(eventDetails({ data: '' })).toEqual([])
    expect(eventDetails({ data: '{bad' })).toEqual([])
  })
})
