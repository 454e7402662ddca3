import { describe, expect, it } from 'vitest'
import { monthGrids } from './calendar'

function year(y: number): { date: string }[] {
  const out: { date: string }[] = []
  for (let t = Date.UTC(y, 0, 1); new Date(t).getUTCFullYear() === y; t += 86_400_000) {
    out.push({ date: new Date(t).toISOString().slice(0, 10) })
  }
  return out
}

describe('monthGrids', () => {
  it('starts each month on its weekday, Monday first', () => {
    const grids = monthGrids(year(2027))
    expect(grids).toHaveLength(12)
    // 2027-01-01 is a Friday: four blanks (Mon–Thu) before it.
    expect(grids[0].cells.slice(0, 5)).toEqual([null, null, null, null, { date: '2027-01-01' }])
    // 2027-02-01 is a Monday: no blank.
    expect(grids[1].cells[0]).toEqual({ date: '2027-02-01' })
    // 2027-08-01 is a Sunday: six blanks.
    expect(grids[7].cells.indexOf(grids[7].cells.find((c) => c !== null)!)).toBe(6)
    expect(grids[1].cells.filter(Boolean)).toHaveLength(28)
  })
  it('skips months without days', () => {
    expect(monthGrids([{ date: '2027-10-10' }]).map((g) => g.month)).toEqual([10])
  })
})
