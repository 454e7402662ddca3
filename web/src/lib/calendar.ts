// Laying out a calendar year (GET /calendar/{year}) as month grids.

export interface MonthGrid<D> {
  month: number
  /** the month's days, Monday first, led by nulls for the weekdays before the 1st */
  cells: (D | null)[]
}

/** monthGrids lays days (ISO dates "2027-10-01", in order) out as month grids, Monday first. */
export function monthGrids<D extends { date: string }>(days: D[]): MonthGrid<D>[] {
  const out: MonthGrid<D>[] = []
  for (let m = 1; m <= 12; m++) {
    const ds = days.filter((d) => Number(d.date.slice(5, 7)) === m)
    if (!ds.length) continue
    const [y, mo, da] = ds[0].date.split('-').map(Number)
    const first = new Date(Date.UTC(y, mo - 1, da)).getUTCDay() // 0 = Sunday
    out.push({ month: m, cells: [...Array<null>((first + 6) % 7).fill(null), ...ds] })
  }
  return out
}
