import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from './client'
import { exportQuery, fileName, importAppeals, readLines } from './transfer'

afterEach(() => vi.unstubAllGlobals())

function stream(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch))
      c.close()
    },
  })
}

describe('export', () => {
  it('sends the list filters without paging, and the format', () => {
    expect(exportQuery({ q: '油烟', status: 'received,dispatched', type: '', limit: 50, offset: 100 }, 'csv'))
      .toBe('q=%E6%B2%B9%E7%83%9F&status=received%2Cdispatched&format=csv')
  })
  it('names the file as the server does', () => {
    expect(fileName(`attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent('诉求列表-20261001.xlsx')}`, 'x')).toBe('诉求列表-20261001.xlsx')
    expect(fileName(null, '诉求列表.csv')).toBe('诉求列表.csv')
  })
})

describe('import', () => {
  it('reads NDJSON lines split across chunks', async () => {
    const lines: unknown[] = []
    await readLines(stream(['{"done":2000,"to', 'tal":5000}\n{"done":5000,"total":5000}\n{"report":{"imported":1}}']), (l) => lines.push(l))
    expect(lines).toEqual([{ done: 2000, total: 5000 }, { done: 5000, total: 5000 }, { report: { imported: 1 } }])
  })
  it('reports progress and returns the report, or the JSON error before the stream', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.resolve(new Response(stream(['{"done":1,"total":2}\n{"done":2,"total":2}\n{"report":{"imported":2,"message":"导入完成"}}\n']), { status: 200 }))))
    const seen: number[] = []
    const rep = await importAppeals(new File(['x'], 'a.csv'), { source: '旧平台' }, false, (d) => seen.push(d))
    expect(seen).toEqual([1, 2])
    expect(rep).toMatchObject({ imported: 2, message: '导入完成' })
    vi.stubGlobal('fetch', vi.fn(() => Promise.resolve(new Response(JSON.stringify({ code: 'EFORBIDDEN', message: '只有管理员可以导入历史诉求' }), { status: 403 }))))
    const err = await importAppeals(new File(['x'], 'a.csv'), {}, true, () => {}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 403, message: '只有管理员可以导入历史诉求' })
  })
})
