// Turning the audit events of GET /appeals/{id}/events into lines a person
// reads: what happened, and the details the event's data carries.
import type { AppealEvent, Transition } from '../api/types'
import { STAGE_NAMES } from './stages'
import { formatTime } from './time'

const KIND_NAMES: Record<string, string> = {
  receive: '受理',
  contact_viewed: '查看联系方式',
  merged_in: '并入诉求',
  redo: '重办',
  deadline_yellow: '时限预警（黄灯）',
  deadline_red: '时限超期（红灯）',
  sign_escalated: '签收超时提级',
  urge: '催办',
  supervise: '督办',
  flag: '挂牌督办',
  flag_progress: '挂牌督办进展',
  flag_closed: '挂牌督办销号',
  merged_rating: '并单诉求人评价',
  merged_unsatisfied: '并单诉求人不满意',
  whistle: '吹哨',
  report_in: '部门报到',
  whistle_rating: '评价报到部门',
  supplement: '补充材料',
  subscribe: '订阅办理进度',
  split_reviewed: '子单均已办结审核，统一回访',
  imported: '导入历史记录（原系统）',
  callback_unreached: '回访未接通',
  on_air: '登记《民心桥》节目答复',
}

const DECISIONS: Record<string, string> = {
  approve: '同意', refuse: '不同意', accept: '审核通过', send_back: '退回重办', reassign: '改派', designate: '指定承办',
}

/** eventTitle names an event kind in Chinese, from the transition table where it is a command. */
export function eventTitle(e: Pick<AppealEvent, 'kind' | 'to_status'>, transitions: Record<string, Transition> = {}): string {
  if (e.kind === 'rate' && e.to_status === 'dispatched') return '回访评价：不满意，自动重办'
  return KIND_NAMES[e.kind] ?? transitions[e.kind]?.name ?? e.kind
}

/** eventDetails lists "label：value" lines from an event's data. */
export function eventDetails(e: Pick<AppealEvent, 'data'> & { note?: string }, unitName: (id: string) => string = (id) => id): string[] {
  let d: Record<string, unknown>
  try {
    d = e.data ? JSON.parse(e.data) : {}
  } catch {
    return []
  }
  const out: string[] = []
  const s = (k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : '')
  if (s('stage')) out.push(`环节：${STAGE_NAMES[s('stage')] ?? s('stage')}${s('unit') ? ' · ' + unitName(s('unit')) : ''}`)
  if (d.auto) out.push('系统自动执行')
  if (s('channel')) out.push(`渠道：${s('channel')}`)
  if (s('type')) out.push(`类型：${s('type')}${s('urgency') ? ' · ' + s('urgency') : ''}`)
  if (s('decision')) out.push(`结果：${DECISIONS[s('decision')] ?? s('decision')}`)
  if (s('reason')) out.push(`原因：${s('reason')}`)
  if (s('lead_name')) out.push(`主办：${s('lead_name')}`)
  if (Array.isArray(d.assist_names) && d.assist_names.length) out.push(`协办：${(d.assist_names as string[]).join('、')}`)
  if (s('method')) out.push(`方式：${s('method')}`)
  if (s('result_class')) out.push(`办理结果：${s('result_class')}`)
  if (s('requested_due_at')) out.push(`申请延期至：${formatTime(s('requested_due_at'))}`)
  if (s('original_due_at')) out.push(`原时限：${formatTime(s('original_due_at'))}`)
  if (s('due_at')) out.push(`办理时限：${formatTime(s('due_at'))}`)
  if (s('target')) out.push(`并入：${s('target')}`)
  if (s('source')) out.push(`来源诉求：${s('source')}`)
  if (s('parent')) out.push(`拆分自：${s('parent')}`)
  if (Array.isArray(d.children) && d.children.length) out.push(`子单：${(d.children as string[]).join('、')}`)
  if (s('from_name')) out.push(`转派自：${s('from_name')}（抄送，仍负首接责任）`)
  if (s('assignee_name')) out.push(`处理人：${s('assignee_name')}`)
  if (s('import_source')) out.push(`导入自：${s('import_source')}${s('source_id') ? '（原编号 ' + s('source_id') + '）' : ''}`)
  if (s('closed_at')) out.push(`原办结时间：${formatTime(s('closed_at'))}`)
  if (s('redo')) out.push(`第 ${s('redo')} 次重办`)
  if (d.supervise) out.push('转督办')
  const r = d.rating as Record<string, unknown> | undefined
  if (r && typeof r === 'object') {
    const dims = [['speed', '速度'], ['effect', '效果'], ['experience', '体验'], ['reply_quality', '答复']]
      .filter(([k]) => Number(r[k]) > 0)
      .map(([k, n]) => `${n} ${r[k]}`)
    out.push(`评价：${r.satisfaction}${dims.length ? '（' + dims.join('，') + '）' : ''}`)
    if (r.comment && r.comment !== e.note) out.push(`意见：${r.comment}`)
  }
  return out
}
