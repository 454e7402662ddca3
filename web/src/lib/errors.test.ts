import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { fieldFor, mapError } from './errors'

const intakeProps = ['type', 'urgency', 'content', 'address', 'contact_name', 'contact_phone', 'channel']

describe('fieldFor', () => {
  it('matches the same name', () => {
    expect(fieldFor('contact_phone', intakeProps)).toBe('contact_phone')
  })
  it('follows aliases', () => {
    expect(fieldFor('point', intakeProps, { point: 'address' })).toBe('address')
  })
  it('resolves dotted paths by last then first segment', () => {
    expect(fieldFor('rating.satisfaction', ['satisfaction', 'comment'])).toBe('satisfaction')
    expect(fieldFor('rating.comment', ['satisfaction', 'comment'])).toBe('comment')
    expect(fieldFor('rating.speed', ['rating'])).toBe('rating')
  })
  it('returns null for fields the form lacks', () => {
    expect(fieldFor('Idempotency-Key', intakeProps)).toBeNull()
    expect(fieldFor(undefined, intakeProps)).toBeNull()
    expect(fieldFor('', intakeProps)).toBeNull()
  })
})

describe('mapError', () => {
  it('puts a field error next to its field', () => {
    const err = new ApiError(400, 'EINVALID', '联系电话格式不正确，请填写11位手机号或带区号的固定电话', 'contact_phone')
    expect(mapError(err, intakeProps)).toEqual({
      fields: { contact_phone: '联系电话格式不正确，请填写11位手机号或带区号的固定电话' },
      general: '',
    })
  })
  it('shows errors without a known field above the form', () => {
    expect(mapError(new ApiError(403, 'EFORBIDDEN', '您没有权限执行「派单」'), intakeProps)).toEqual({
      fields: {},
      general: '您没有权限执行「派单」',
    })
    expect(mapError(new ApiError(400, 'EINVALID', '未知字段 foo', 'foo'), intakeProps).general).toBe('未知字段 foo')
  })
  it('handles network and unknown errors', () => {
    expect(mapError(new ApiError(0, 'ENETWORK', '无法连接服务器'), intakeProps).general).toBe('无法连接服务器')
    expect(mapError('boom', intakeProps).general).toBe('操作失败，请稍后重试')
  })
})
