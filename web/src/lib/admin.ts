// Pure helpers of the admin pages: API tokens' state and scope names, the
// roles an admin may give, and the checks a new password gets in the
// browser before the API applies its own rules.
import type { APIToken, Role, Scope } from '../api/types'

/** SCOPES lists the token scopes in the API's order (huying.Scopes). */
export const SCOPES: Scope[] = ['intake', 'read', 'open311']

/** SCOPE_NAMES are the scopes' Chinese names, as the API words them (huying.ScopeNames). */
export const SCOPE_NAMES: Record<Scope, string> = {
  intake: '受理',
  read: '回读本渠道诉求',
  open311: 'Open311 接口',
}

/** DEFAULT_SCOPES are what a new token gets unless the admin chooses otherwise. */
export const DEFAULT_SCOPES: Scope[] = ['intake', 'read']

/** scopeName names one scope; an unknown one is shown as it is. */
export function scopeName(s: string): string {
  return SCOPE_NAMES[s as Scope] ?? s
}

export type TokenState = 'active' | 'revoked' | 'expired'

export const TOKEN_STATE_NAMES: Record<TokenState, string> = { active: '有效', revoked: '已吊销', expired: '已过期' }

/**
 * tokenState is what the API would do with the token at now: a revoked
 * token stays 已吊销 even after its expiry; one whose expiry is now or past
 * is 已过期 (the API accepts it only strictly before expires_at).
 */
export function tokenState(t: Pick<APIToken, 'revoked_at' | 'expires_at'>, now: Date | number): TokenState {
  if (t.revoked_at) return 'revoked'
  if (t.expires_at) {
    const at = new Date(t.expires_at).getTime()
    if (!Number.isNaN(at) && at <= (typeof now === 'number' ? now : now.getTime())) return 'expired'
  }
  return 'active'
}

/**
 * expiryFromDate turns a picked calendar day "2027-01-31" into the end of
 * that day in Beijing time, the moment the API is asked to stop the token:
 * "有效期至 1 月 31 日" includes the 31st. Empty in, undefined out.
 */
export function expiryFromDate(day: string | null | undefined): string | undefined {
  if (!day) return undefined
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim())
  if (!m) throw new Error('日期格式应为 YYYY-MM-DD')
  return `${m[1]}-${m[2]}-${m[3]}T23:59:59+08:00`
}

/** beijingDay is the Beijing calendar day "2026-12-04" of a moment. */
export function beijingDay(now: Date | number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/**
 * staffRoles is the roles an admin may give a staff account, from /meta:
 * every role but 诉求人 (residents are principals of their own kind, and
 * the API refuses the role).
 */
export function staffRoles(roles: Partial<Record<Role, string>> | undefined | null): { code: Role; name: string }[] {
  if (!roles) return []
  return (Object.entries(roles) as [Role, string][]).filter(([code]) => code !== 'resident').map(([code, name]) => ({ code, name }))
}

/**
 * checkNewPassword is the browser's part of a password form: something
 * typed, and the confirmation equal to it. The API checks the rules
 * (length, login name, common passwords) and its message is shown at the
 * field. Returns messages by field; empty when the form may be sent.
 */
export function checkNewPassword(password: string, confirm: string): Record<string, string> {
  const errs: Record<string, string> = {}
  if (!password) errs.password = '请输入新密码'
  if (!confirm) errs.confirm = '请再次输入新密码'
  else if (password && confirm !== password) errs.confirm = '两次输入的新密码不一致'
  return errs
}
