import { describe, expect, it } from 'vitest'
import { beijingToISO, formatDate, formatTime, isoToBeijingWall } from './time'

describe('Beijing time', () => {
  it('formats in UTC+8 whatever the browser zone', () => {
    expect(formatTime('2026-11-29T16:30:00Z')).toBe('2026-11-30 00:30')
    expect(formatTime('2026-11-29T16:30:05Z', true)).toBe('2026-11-30 00:30:05')
    expect(formatDate('2026-11-29T16:30:00Z')).toBe('2026-11-30')
    expect(formatTime(undefined)).toBe('—')
    expect(formatTime('not a time')).toBe('—')
  })
  it('round-trips picker values', () => {
    expect(beijingToISO('2026-12-01 18:00')).toBe('2026-12-01T18:00:00+08:00')
    expect(new Date(beijingToISO('2026-12-01 18:00')).toISOString()).toBe('2026-12-01T10:00:00.000Z')
    expect(isoToBeijingWall('2026-12-01T10:00:00Z')).toBe('2026-12-01 18:00')
    expect(() => beijingToISO('tomorrow')).toThrow()
  })
})

import { readBack } from './ids'
describe('readBack', () => {
  it('groups a tracking code for reading aloud', () => {
    expect(readBack('PS20261129000001')).toBe('PS 2026 1129 000001')
    expect(readBack('odd')).toBe('odd')
  })
})
