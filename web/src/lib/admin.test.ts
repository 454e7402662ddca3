import { describe, expect, it } from 'vitest'
import { beijingDay, checkNewPassword, expiryFromDate, scopeName, staffRoles, tokenState, TOKEN_STATE_NAMES } from './admin'

const now = new Date('2026-12-04T06:00:00Z')

describe('tokenState', () => {
  it('is active without revocation or expiry', () => {
    expect(tokenState({}, now)).toBe('active')
  })
  it('is active before its expiry', () => {
    expect(tokenState({ expires_at: '2026-12-04T06:00:01Z' }, now)).toBe('active')
  })
  it('is expired at and after its expiry', () => {
    expect(tokenState({ expires_at: '2026-12-04T06:00:00Z' }, now)).toBe('expired')
    expect(tokenState({ expires_at: '2026-12-04T13:59:59+08:00' }, now.getTime())).toBe('expired')
  })
  it('stays revoked whatever the expiry', () => {
    expect(tokenState({ revoked_at: '2026-12-01T00:00:00Z', expires_at: '2026-11-30T00:00:00Z' }, now)).toBe('revoked')
    expect(tokenState({ revoked_at: '2026-12-01T00:00:00Z', expires_at: '2030-01-01T00:00:00Z' }, now)).toBe('revoked')
  })
  it('ignores an unreadable expiry', () => {
    expect(tokenState({ expires_at: 'soon' }, now)).toBe('active')
  })
  it('has Chinese names', () => {
    expect(TOKEN_STATE_NAMES.active).toBe('有效')
    expect(TOKEN_STATE_NAMES.revoked).toBe('已吊销')
    expect(TOKEN_STATE_NAMES.expired).toBe('已过期')
  })
})

describe('scopeName', () => {
  it('names the three scopes as the API does', () => {
    expect(scopeName('intake')).toBe('受理')
    expect(scopeName('read')).toBe('回读本渠道诉求')
    expect(scopeName('open311')).toBe('Open311 接口')
  })
  it('shows an unknown scope as it is', () => {
    expect(scopeName('write')).toBe('write')
  })
})

describe('expiryFromDate', () => {
  it('is the end of the Beijing day', () => {
    expect(expiryFromDate('2027-01-31')).toBe('2027-01-31T23:59:59+08:00')
    expect(new Date(expiryFromDate('2027-01-31')!).toISOString()).toBe('2027-01-31T15:59:59.000Z')
  })
  it('is undefined without a day', () => {
    expect(expiryFromDate('')).toBeUndefined()
    expect(expiryFromDate(null)).toBeUndefined()
  })
  it('refuses other formats', () => {
    expect(() => expiryFromDate('2027/01/31')).toThrow()
  })
})

describe('beijingDay', () => {
  it('is the calendar day in Beijing, not in the browser zone', () => {
    expect(beijingDay(new Date('2026-12-04T15:59:59Z'))).toBe('2026-12-04')
    expect(beijingDay(new Date('2026-12-04T16:00:00Z'))).toBe('2026-12-05')
  })
})

describe('staffRoles', () => {
  it('leaves out 诉求人 and keeps the order', () => {
    const roles = { resident: '诉求人', intake: '受理员', dispatcher: '分拨员', admin: '管理员' }
    expect(staffRoles(roles)).toEqual([
      { code: 'intake', name: '受理员' },
      { code: 'dispatcher', name: '分拨员' },
      { code: 'admin', name: '管理员' },
    ])
  })
  it('is empty before /meta is loaded', () => {
    expect(staffRoles(undefined)).toEqual([])
  })
})

describe('checkNewPassword', () => {
  it('passes a confirmed password (the rules are the API’s)', () => {
    expect(checkNewPassword('short', 'short')).toEqual({})
  })
  it('asks for both fields', () => {
    expect(checkNewPassword('', '')).toEqual({ password: '请输入新密码', confirm: '请再次输入新密码' })
  })
  it('refuses a confirmation that differs', () => {
    expect(checkNewPassword('pingshan-2027', 'pingshan-2026')).toEqual({ confirm: '两次输入的新密码不一致' })
  })
})
