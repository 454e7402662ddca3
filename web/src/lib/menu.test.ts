import { describe, expect, it } from 'vitest'
import { canOpen, homeFor, menuFor } from './menu'
import { availableCommands } from './commands'
import type { Appeal, Transition } from '../api/types'

const titles = (roles: Parameters<typeof menuFor>[0]) => menuFor(roles).map((m) => m.title)

describe('menuFor', () => {
  it('gives each role its workspace and the search', () => {
    expect(titles(['intake'])).toEqual(['受理', '诉求查询', '知识库'])
    expect(titles(['dispatcher'])).toEqual(['分拨', '诉求查询', '知识库'])
    expect(titles(['handler'])).toEqual(['承办', '诉求查询', '知识库'])
    expect(titles(['supervisor'])).toEqual(['督办', '挂牌督办', '吹哨报到', '诉求查询', '知识库'])
    expect(titles(['leader'])).toEqual(['领导看板', '挂牌督办', '吹哨报到', '诉求查询', '知识库'])
    expect(titles(['admin'])).toEqual(['系统管理', '诉求查询', '知识库'])
  })
  it('merges several roles (community party committee: reporter + handler)', () => {
    expect(titles(['reporter', 'handler'])).toEqual(['社区上报', '上报积分', '承办', '诉求查询', '知识库'])
  })
  it('gives a resident no staff workspace', () => {
    expect(titles(['resident'])).toEqual([])
    expect(homeFor(['resident'])).toBe('/forbidden')
  })
  it('lands on the first workspace', () => {
    expect(homeFor(['handler'])).toBe('/handle')
    expect(homeFor(['leader', 'admin'])).toBe('/dashboard')
  })
  it('guards paths', () => {
    expect(canOpen('/dispatch', ['handler'])).toBe(false)
    expect(canOpen('/dispatch', ['dispatcher'])).toBe(true)
    expect(canOpen('/appeals/12', ['leader'])).toBe(true)
    expect(canOpen('/appeals/12', ['resident'])).toBe(false)
    expect(canOpen('/login', [])).toBe(true)
  })
})

// A slice of the transition table GET /meta returns.
const transitions: Record<string, Transition> = {
  dispatch: { name: '派单', from: ['received'], to: ['dispatched'], roles: ['dispatcher'] },
  answer: { name: '直接答复', from: ['received'], to: ['answered'], roles: ['intake', 'dispatcher'] },
  sign: { name: '签收', from: ['dispatched'], to: ['signed'], roles: ['handler'] },
  return: { name: '退单', from: ['dispatched', 'signed'], to: ['returned'], roles: ['handler'] },
  note: { name: '办理进展', from: ['signed', 'handling'], to: null, roles: ['handler'] },
  reply: { name: '办结', from: ['signed', 'handling'], to: ['replied'], roles: ['handler'] },
}

function appeal(status: Appeal['status'], extra: Partial<Appeal> = {}): Appeal {
  return {
    id: 1, code: 'PS1', type: '投诉', urgency: '一般', channel: '12345热线', title: '', content: '', address: '',
    contact_name: '', contact_phone: '', confidential: false, status, status_name: '', version: 1,
    assignments: [{ unit_id: 'chengguan', role: 'lead' }, { unit_id: 'st-pingshan', role: 'assist' }],
    attachments: [], designated: false, redo_count: 0, received_at: '', updated_at: '', ...extra,
  }
}

describe('availableCommands', () => {
  it('follows status and role', () => {
    const consult = appeal('received', { assignments: [], type: '咨询' })
    expect(availableCommands(consult, { roles: ['dispatcher'], unit_id: 'ps-centre' }, transitions)).toEqual(['dispatch', 'answer'])
    expect(availableCommands(consult, { roles: ['intake'], unit_id: 'ps-centre' }, transitions)).toEqual(['answer'])
    expect(availableCommands(appeal('received', { assignments: [] }), { roles: ['dispatcher'], unit_id: 'ps-centre' }, transitions)).toEqual(['dispatch'])
  })
  it('lets the lead unit sign and return, not an assisting one', () => {
    expect(availableCommands(appeal('dispatched'), { roles: ['handler'], unit_id: 'chengguan' }, transitions)).toEqual(['sign', 'return'])
    expect(availableCommands(appeal('dispatched'), { roles: ['handler'], unit_id: 'st-pingshan' }, transitions)).toEqual([])
    expect(availableCommands(appeal('handling'), { roles: ['handler'], unit_id: 'st-pingshan' }, transitions)).toEqual(['note'])
    expect(availableCommands(appeal('handling'), { roles: ['handler'], unit_id: 'shuiwu' }, transitions)).toEqual([])
  })
  it('hides return on a designated order', () => {
    expect(availableCommands(appeal('signed', { designated: true }), { roles: ['handler'], unit_id: 'chengguan' }, transitions)).toEqual(['note', 'reply'])
  })
})

describe('split, pass_down and assign', () => {
  const more: Record<string, Transition> = {
    ...transitions,
    split: { name: '拆分', from: ['received'], to: ['split'], roles: ['dispatcher'] },
    pass_down: { name: '转派社区', from: ['dispatched', 'signed', 'handling'], to: ['dispatched'], roles: ['handler'] },
    assign: { name: '指派处理人', from: ['dispatched', 'signed', 'handling'], to: null, roles: ['handler'] },
    archive: { name: '归档', from: ['rated', 'split'], to: ['archived'], roles: ['dispatcher'] },
  }
  const street = [{ unit_id: 'st-pingshan', role: 'lead' as const }]
  it('offers a split on an appeal, never on a part', () => {
    const d = { roles: ['dispatcher' as const], unit_id: 'ps-centre' }
    expect(availableCommands(appeal('received', { assignments: [] }), d, more)).toEqual(['dispatch', 'split'])
    expect(availableCommands(appeal('received', { assignments: [], parent_id: 7 }), d, more)).toEqual(['dispatch'])
    expect(availableCommands(appeal('split', { assignments: [] }), d, more)).toEqual([])
  })
  it('lets only the lead street pass an order on, and the lead unit assign it', () => {
    const h = { roles: ['handler' as const], unit_id: 'st-pingshan' }
    expect(availableCommands(appeal('signed', { assignments: street }), h, more, 'street')).toEqual(['assign', 'note', 'reply', 'pass_down', 'return'])
    expect(availableCommands(appeal('signed'), { roles: ['handler'], unit_id: 'chengguan' }, more, 'department')).toEqual(['assign', 'note', 'reply', 'return'])
    expect(availableCommands(appeal('signed'), h, more, 'street')).toEqual(['note'])
  })
})
