import { describe, expect, it } from 'vitest'
import { escalationText } from './stages'

describe('escalationText', () => {
  it('names what the sweeper did', () => {
    expect(escalationText('close', 0)).toBe('')
    expect(escalationText('close', 1)).toBe('已催办')
    expect(escalationText('close', 2)).toBe('已督办')
    expect(escalationText('sign', 1)).toBe('已提级至单位负责人')
    expect(escalationText('sign', 2)).toBe('已自动签收')
  })
})
