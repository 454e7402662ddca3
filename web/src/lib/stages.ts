// Stage clocks (GET /appeals/{id}/deadlines, GET /board): names and colours.
import type { DeadlineState } from '../api/types'

/** STAGE_NAMES mirrors the board's stage_names for pages that do not load the board. */
export const STAGE_NAMES: Record<string, string> = {
  dispatch: '派单', sign: '签收', first_contact: '首次联系', close: '办结', review: '审核', callback: '回访', arbitrate: '退单审核', report_in: '报到', flag: '挂牌督办',
}

export const STATE_NAMES: Record<DeadlineState, string> = { open: '正常', yellow: '黄灯预警', red: '红灯超期', done: '已完成' }

export const stateTag: Record<DeadlineState, 'success' | 'warning' | 'danger' | 'info'> = {
  open: 'success', yellow: 'warning', red: 'danger', done: 'info',
}

/** escalationText says what the sweeper did after a deadline went red. */
export function escalationText(stage: string, n: number): string {
  if (n <= 0) return ''
  if (stage === 'sign') return n >= 2 ? '已自动签收' : '已提级至单位负责人'
  return n >= 2 ? '已督办' : '已催办'
}
