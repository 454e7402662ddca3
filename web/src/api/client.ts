// The console's only way to the server: fetch against /api/v1 with the
// session cookie. Every failure becomes an ApiError carrying the API's
// Chinese message and, for bad input, the field it concerns.
import type {
  Colleague,
  AuditReport,
  BatchResponse,
  Action, APIToken, Article, ArticleInput, ArticleSuggestion, InboxItem, Appeal, AppealList, Board, Catalogue, Channel, ChannelStat, Deadline, EventList, Flag, Intake, Meta, Rating, ReporterStat,
  OnAir, OnAirItem, Stats, Suggestion, Tracking, Unit, User, Whistle, WhistleStat,
  CalendarYear, SLAVersion,
} from './types'

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  status: number
  /** The API's error code (EINVALID, EFORBIDDEN, …) or ENETWORK. */
  code: string
  /** The input field the error concerns, if any. */
  field?: string

  constructor(status: number, code: string, message: string, field?: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || undefined
  }
}

type Listener = (err: ApiError) => void
const unauthorizedListeners: Listener[] = []

/** onUnauthorized registers a callback for a 401 from a logged-in call (session expired). */
export function onUnauthorized(fn: Listener): void {
  unauthorizedListeners.push(fn)
}

const BASE = '/api/v1'

/**
 * request calls the API once; a GET that fails with a server error (5xx) or
 * no connection is tried once more after a short pause, as reads are safe to
 * repeat. Writes are never repeated here (intake uses an Idempotency-Key
 * and commands a version, so a user may safely press again).
 */
export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  try {
    return await requestOnce<T>(method, path, body, headers)
  } catch (e) {
    if (method !== 'GET' || !(e instanceof ApiError) || (e.status !== 0 && e.status < 500)) throw e
    await new Promise((r) => setTimeout(r, 300))
    return requestOnce<T>(method, path, body, headers)
  }
}

async function requestOnce<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['Content-Type'] = 'application/json'
  }
  let res: Response
  try {
    res = await fetch(BASE + path, init)
  } catch {
    throw new ApiError(0, 'ENETWORK', '无法连接服务器，请检查网络后重试（已填写的内容不会丢失）')
  }
  if (res.status === 204) return undefined as T
  let data: unknown = null
  const text = await res.text()
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; message?: string; field?: string }
    const err = new ApiError(res.status, e.code ?? 'EINTERNAL', e.message ?? `服务器错误（HTTP ${res.status}），请稍后重试`, e.field)
    if (res.status === 401 && !path.startsWith('/auth/') && !path.startsWith('/track') && !path.startsWith('/resident/')) {
      unauthorizedListeners.forEach((fn) => fn(err))
    }
    throw err
  }
  return data as T
}

function qs(params: Record<string, string | number | boolean | undefined>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    // A filter switched off (false) is the same as no filter.
    if (v !== undefined && v !== '' && v !== false) p.set(k, String(v))
  }
  const s = p.toString()
  return s ? '?' + s : ''
}

export interface ListQuery {
  status?: string
  type?: string
  urgency?: string
  channel?: string
  unit?: string
  street?: string
  community?: string
  /** words, all of which must appear in the code, title, content or address */
  q?: string
  /** a full phone number or its last four digits */
  phone?: string
  /** the contact's full name */
  name?: string
  overdue?: boolean
  flagged?: boolean
  redone?: boolean
  from?: string
  to?: string
  limit?: number
  /** a column (ascending unless order is desc), or waiting: the dispatch queue's order */
  sort?: 'due_at' | 'waiting' | 'received_at' | 'updated_at' | 'code' | 'status'
  order?: 'asc' | 'desc'
  offset?: number
  /** me: the orders assigned to the caller (我的工单) */
  assignee?: 'me'
}

export const api = {
  meta: () => request<Meta>('GET', '/meta'),
  /** the district's outline and (demo) street and community areas, GeoJSON */
  geo: () => request<{ type: string; features: { properties: { level: string; id: string; name: string } }[] }>('GET', '/geo'),
  login: (username: string, password: string) => request<User>('POST', '/auth/login', { username, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  me: () => request<User>('GET', '/me'),
  units: () => request<{ items: Unit[] }>('GET', '/units'),
  createUnit: (u: Unit) => request<Unit>('POST', '/units', u),
  /** rename or move a unit; version is the one the admin saw */
  updateUnit: (id: string, c: { name?: string; parent_id?: string; version: number }) =>
    request<Unit>('PATCH', `/units/${encodeURIComponent(id)}`, c),
  disableUnit: (id: string, version: number) => request<Unit>('POST', `/units/${encodeURIComponent(id)}/disable`, { version }),
  enableUnit: (id: string, version: number) => request<Unit>('POST', `/units/${encodeURIComponent(id)}/enable`, { version }),
  slaVersions: () => request<{ items: SLAVersion[] }>('GET', '/sla/versions'),
  createSLAVersion: (v: { table: Record<string, unknown>; note: string; base_version: number }) =>
    request<SLAVersion>('POST', '/sla/versions', v),
  calendarYears: () => request<{ items: CalendarYear[] }>('GET', '/calendar'),
  calendarYear: (year: number) => request<CalendarYear>('GET', `/calendar/${year}`),
  importCalendar: (in_: { format: 'csv' | 'json'; content: string; year?: number; source?: string; dry_run?: boolean }) =>
    request<CalendarYear>('POST', '/calendar/import', in_),
  users: () => request<{ items: User[] }>('GET', '/users'),
  createUser: (u: { username: string; name: string; password: string; unit_id: string; roles: string[]; phone?: string }) =>
    request<User>('POST', '/users', u),
  updateUser: (id: number, c: { name?: string; unit_id?: string; roles?: string[]; phone?: string }) =>
    request<User>('PATCH', `/users/${id}`, c),
  /** an admin sets another user's password; their sessions end */
  resetPassword: (id: number, password: string) => request<void>('POST', `/users/${id}/password`, { password }),
  disableUser: (id: number) => request<User>('POST', `/users/${id}/disable`),
  enableUser: (id: number) => request<User>('POST', `/users/${id}/enable`),
  /** the logged-in user's own password; every session of theirs ends, this one too */
  changePassword: (old_password: string, password: string) => request<void>('POST', '/me/password', { old_password, password }),
  tokens: () => request<{ items: APIToken[] | null }>('GET', '/tokens'),
  createToken: (t: { name: string; channel: string; scopes: string[]; expires_at?: string }) =>
    request<{ token: string; info: APIToken }>('POST', '/tokens', t),
  revokeToken: (id: number) => request<void>('DELETE', `/tokens/${id}`),
  receive: (in_: Intake, idempotencyKey: string) =>
    request<Appeal>('POST', '/appeals', in_, { 'Idempotency-Key': idempotencyKey }),
  list: (q: ListQuery) => request<AppealList>('GET', '/appeals' + qs({ ...q })),
  get: (id: number | string) => request<Appeal>('GET', `/appeals/${encodeURIComponent(String(id))}`),
  events: (id: number | string) => request<EventList>('GET', `/appeals/${encodeURIComponent(String(id))}/events`),
  contact: (id: number | string) =>
    request<{ contact_name: string; contact_phone: string }>('POST', `/appeals/${encodeURIComponent(String(id))}/contact/reveal`),
  act: (id: number | string, command: string, action: Action) =>
    request<Appeal>('POST', `/appeals/${encodeURIComponent(String(id))}/${command}`, action),
  batch: (command: string, items: { id: number; version?: number }[], action: Action = {}) =>
    request<BatchResponse>('POST', `/batch/${command}`, { items, action }),
  deadlines: (id: number | string) => request<{ items: Deadline[] }>('GET', `/appeals/${encodeURIComponent(String(id))}/deadlines`),
  board: (q: { state?: string; unit?: string; stage?: string; limit?: number } = {}) => request<Board>('GET', '/board' + qs(q)),
  stats: (q: { from?: string; to?: string } = {}) => request<Stats>('GET', '/stats' + qs(q)),
  auditVerify: () => request<AuditReport>('GET', '/audit/verify'),
  residentCode: (phone: string) => request<{ message: string }>('POST', '/resident/code', { phone }),
  residentLogin: (phone: string, code: string) => request<User>('POST', '/resident/login', { phone, code }),
  suggestions: (id: number | string) => request<{ items: Suggestion[] | null }>('GET', `/appeals/${encodeURIComponent(String(id))}/suggestions`),
  track: (code: string, phone4: string) => request<Tracking>('GET', '/track' + qs({ code, phone4 })),
  rate: (code: string, proof: string, rating: Rating) => request<Tracking>('POST', '/track/rate', { code, proof, rating }),

  // 督办: 催办 and 挂牌督办.
  urge: (id: number | string, note: string) => request<void>('POST', `${ap(id)}/urges`, { note }),
  createFlag: (id: number | string, f: { reason: string; supervising_unit: string; due_at: string; public: boolean }) =>
    request<Flag>('POST', `${ap(id)}/flags`, f),
  flags: (open = true) => request<{ items: Flag[] | null }>('GET', '/flags' + qs({ open: open ? '1' : undefined })),
  flagProgress: (fid: number, note: string) => request<void>('POST', `/flags/${fid}/progress`, { note }),
  closeFlag: (fid: number, note: string) => request<void>('POST', `/flags/${fid}/close`, { note }),
  // 吹哨报到.
  whistles: (id: number | string) => request<{ items: Whistle[] | null }>('GET', `${ap(id)}/whistles`),
  blowWhistle: (id: number | string, w: { unit_ids: string[]; reason: string }) => request<Whistle>('POST', `${ap(id)}/whistles`, w),
  reportIn: (wid: number) => request<void>('POST', `/whistles/${wid}/report-in`),
  rateWhistle: (wid: number, r: { unit_id: string; rating: number; note: string }) => request<void>('POST', `/whistles/${wid}/ratings`, r),
  whistleStats: () => request<{ items: WhistleStat[] | null }>('GET', '/whistles/stats'),
  // 管理: channels, catalogue, webhooks; reporters' points.
  channels: () => request<{ items: Channel[] | null }>('GET', '/channels'),
  putChannel: (c: Channel) =>
    request<Channel>('PUT', `/channels/${encodeURIComponent(c.name)}`, {
      kind: c.kind, rate_per_minute: c.rate_per_minute, default_type: c.default_type, default_urgency: c.default_urgency, publish: c.publish,
    }),
  channelStats: () => request<{ items: ChannelStat[] | null }>('GET', '/channels/stats'),
  catalogue: () => request<Catalogue>('GET', '/catalogue'),
  putCatalogue: (c: unknown) => request<{ version: number }>('PUT', '/catalogue', c),
  createWebhook: (w: { url: string; secret: string }) => request<{ id: number; url: string; created_at: string }>('POST', '/webhooks', w),
  reporterPoints: () => request<{ items: ReporterStat[] | null; points_per_report: number }>('GET', '/reporters/points'),
  // 站内通知.
  notifications: (unread = false) => request<{ items: InboxItem[]; unread: number }>('GET', '/notifications' + qs({ unread: unread ? 'true' : undefined })),
  readNotifications: (ids: number[] | 'all') =>
    request<{ changed: number }>('POST', '/notifications/read', ids === 'all' ? { all: true } : { ids }),
  // 知识库.
  articles: (q: { q?: string; unit?: string; valid?: 'true'; limit?: number; offset?: number } = {}) =>
    request<{ items: Article[]; total: number }>('GET', '/knowledge' + qs(q)),
  suggestArticles: (text: string) => request<{ items: ArticleSuggestion[] }>('GET', '/knowledge/suggest' + qs({ q: text })),
  createArticle: (a: ArticleInput) => request<Article>('POST', '/knowledge', a),
  updateArticle: (id: number, a: ArticleInput) => request<Article>('PUT', `/knowledge/${id}`, a),
  // 指派处理人: the handlers of the caller's own unit.
  colleagues: () => request<{ items: Colleague[] }>('GET', '/me/colleagues'),
  // The logged-in resident's own appeals.
  residentTrack: (id: number | string) => request<Tracking>('GET', `${ap(id)}/track`),
  supplement: (id: number | string, note: string) => request<void>('POST', `${ap(id)}/supplements`, { note }),
  subscribe: (id: number | string) => request<void>('POST', `${ap(id)}/subscriptions`),
  residentRate: (id: number | string, rating: Rating) => request<Appeal>('POST', `${ap(id)}/rate`, { rating }),
  // 《民心桥》: the centre records the broadcast answer; the public list shows it.
  setOnAir: (id: number | string, o: OnAir & { version?: number }) => request<Appeal>('PUT', `${ap(id)}/on-air`, o),
  onAir: (channel: string) => request<{ items: OnAirItem[] }>('GET', `/public/channels/${encodeURIComponent(channel)}/appeals`),
}

function ap(id: number | string): string {
  return `/appeals/${encodeURIComponent(String(id))}`
}
