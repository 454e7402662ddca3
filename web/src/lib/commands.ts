// Which lifecycle commands a user may run on an appeal now, from the
// transition table of GET /meta plus the unit rule the workflow applies on
// top of it (a handler acts only for the lead unit, or any assigned unit for
// progress notes). The server checks again; this only decides which buttons
// to show.
import type { Appeal, Command, Role, Transition, User } from '../api/types'

/** Commands run by the lead unit's handler only. */
const LEAD_ONLY: Command[] = ['sign', 'return', 'contact', 'request_extension', 'request_termination', 'reply', 'pass_down', 'assign']

/** Button order in the console. */
export const COMMAND_ORDER: Command[] = [
  'dispatch', 'split', 'answer', 'refuse', 'merge', 'arbitrate', 'recall', 'sign', 'assign', 'contact', 'note', 'reply',
  'pass_down', 'return', 'request_extension', 'request_termination', 'decide_extension', 'decide_termination', 'review',
  'rate', 'archive',
]

function leadUnit(a: Appeal): string {
  return a.assignments?.find((x) => x.role === 'lead')?.unit_id ?? ''
}

/** availableCommands lists, in button order, the commands user may run on a now. */
export function availableCommands(
  a: Appeal, user: Pick<User, 'roles' | 'unit_id'>, transitions: Record<string, Transition>, unitKind?: string,
): Command[] {
  return COMMAND_ORDER.filter((cmd) => {
    const t = transitions[cmd]
    if (!t || !(t.from ?? []).includes(a.status)) return false
    const roles = t.roles.filter((r: Role) => user.roles.includes(r))
    if (roles.length === 0) return false
    if (cmd === 'return' && a.designated) return false
    // Only a consultation (咨询) can be answered at intake; the workflow refuses the rest.
    if (cmd === 'answer' && a.type !== '咨询') return false
    // A part of a split is not split again; only a street passes an order on to its communities.
    if (cmd === 'split' && a.parent_id) return false
    if (cmd === 'pass_down' && unitKind !== undefined && unitKind !== 'street') return false
    // A split parent is archived by its last part, not by hand.
    if (cmd === 'archive' && a.status === 'split') return false
    // A handler-only command also needs the user's unit on the appeal.
    if (roles.every((r) => r === 'handler')) {
      if (LEAD_ONLY.includes(cmd)) return leadUnit(a) === user.unit_id
      if (cmd === 'note') return (a.assignments ?? []).some((x) => x.unit_id === user.unit_id)
    }
    return true
  })
}

/** Chinese button labels; the transition table's Name is the fallback. */
export const COMMAND_LABELS: Record<Command, string> = {
  answer: '直接答复',
  refuse: '不予受理/转办',
  merge: '并单',
  dispatch: '派单',
  sign: '签收',
  return: '退单',
  arbitrate: '退单审核',
  recall: '撤回改派',
  contact: '联系诉求人',
  note: '办理进展',
  request_extension: '申请延期',
  decide_extension: '延期审批',
  request_termination: '申请终止',
  decide_termination: '终止审批',
  reply: '办结答复',
  review: '审核办结',
  rate: '回访评价',
  archive: '归档',
  split: '拆分',
  pass_down: '转派社区',
  assign: '指派处理人',
}
