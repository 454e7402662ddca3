import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, onUnauthorized, request } from './client'

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
}

afterEach(() => vi.unstubAllGlobals())

describe('request', () => {
  it('turns an API error into an ApiError with message and field', async () => {
    vi.stubGlobal('fetch', vi.fn(() => reply(400, { code: 'EINVALID', message: '请填写诉求内容', field: 'content' })))
    const err = await request('POST', '/appeals', {}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 400, code: 'EINVALID', message: '请填写诉求内容', field: 'content' })
  })
  it('tries a failed read once more, never a write', async () => {
    const f = vi.fn().mockImplementationOnce(() => reply(500, { code: 'EINTERNAL', message: '系统内部错误，请稍后重试' })).mockImplementation(() => reply(200, { ok: true }))
    vi.stubGlobal('fetch', f)
    await expect(request('GET', '/stats')).resolves.toEqual({ ok: true })
    expect(f).toHaveBeenCalledTimes(2)
    const g = vi.fn(() => reply(500, { code: 'EINTERNAL', message: '系统内部错误，请稍后重试' }))
    vi.stubGlobal('fetch', g)
    await expect(request('POST', '/appeals/1/sign', {})).rejects.toMatchObject({ status: 500 })
    expect(g).toHaveBeenCalledTimes(1)
  })
  it('reports a network failure in Chinese', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))))
    await expect(request('POST', '/appeals', {})).rejects.toMatchObject({ code: 'ENETWORK', status: 0 })
  })
  it('announces an expired session, but not a failed login', async () => {
    const seen: string[] = []
    onUnauthorized((e) => seen.push(e.message))
    vi.stubGlobal('fetch', vi.fn(() => reply(401, { code: 'EUNAUTHORIZED', message: '登录已过期，请重新登录' })))
    await request('GET', '/appeals').catch(() => undefined)
    await request('POST', '/auth/login', {}).catch(() => undefined)
    expect(seen).toEqual(['登录已过期，请重新登录'])
  })
})

describe('api.list', () => {
  it('sends the search, the filters switched on and the sort, and leaves out empty ones', async () => {
    const f = vi.fn((_url: string) => reply(200, { items: [], total: 0 }))
    vi.stubGlobal('fetch', f)
    await api.list({ q: '油烟 噪音', phone: '8001', type: '', overdue: true, flagged: false, sort: 'received_at', order: 'desc', limit: 50 })
    const url = new URL(String(f.mock.calls[0][0]), 'http://x')
    expect(url.pathname).toMatch(/\/appeals$/)
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: '油烟 噪音', phone: '8001', overdue: 'true', sort: 'received_at', order: 'desc', limit: '50' })
  })
})
