// The console's shared state: the logged-in user, the API's vocabulary
// (GET /meta) and the unit tree. Plain Vue reactivity; there is little
// enough state that a store library would not earn its place.
import { reactive } from 'vue'
import { api, ApiError, onUnauthorized } from './api/client'
import type { Meta, Role, Unit, User } from './api/types'

export const session = reactive({
  user: null as User | null,
  meta: null as Meta | null,
  units: [] as Unit[],
  /** Set when a logged-in call got 401: the layout asks for the password again without leaving the page. */
  expired: false,
  /** Whether /me has been asked since the page loaded. */
  checked: false,
  /** A message for the login page, after the console ended the session itself (password changed). */
  notice: '',
})

onUnauthorized(() => {
  if (session.user) session.expired = true
})

let metaPromise: Promise<Meta> | null = null

/** loadMeta fetches the vocabulary once. */
export function loadMeta(): Promise<Meta> {
  if (!metaPromise) {
    metaPromise = api.meta().then((m) => (session.meta = m)).catch((e) => {
      metaPromise = null
      throw e
    })
  }
  return metaPromise
}

/** loadSession asks /me once per page load; false when not logged in. */
export async function loadSession(): Promise<boolean> {
  if (session.checked) return session.user !== null
  try {
    session.user = await api.me()
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e
    session.user = null
  }
  session.checked = true
  if (session.user) await afterLogin()
  return session.user !== null
}

async function afterLogin(): Promise<void> {
  // The unit tree is for staff; a resident's session is refused it.
  const staff = session.user?.kind !== 'resident'
  const [, units] = await Promise.all([loadMeta(), staff ? api.units() : Promise.resolve({ items: [] as Unit[] })])
  session.units = units.items
}

export async function login(username: string, password: string): Promise<User> {
  const u = await api.login(username, password)
  session.user = u
  session.checked = true
  session.expired = false
  session.notice = ''
  await afterLogin()
  return u
}

export async function logout(): Promise<void> {
  try {
    await api.logout()
  } finally {
    session.user = null
    session.units = []
  }
}

/**
 * endSession forgets the user after the server ended their sessions (a
 * password change), without a 401 prompt; the login page shows notice.
 */
export function endSession(notice = ''): void {
  session.user = null
  session.units = []
  session.expired = false
  session.checked = true
  session.notice = notice
}

export function roles(): Role[] {
  return session.user?.roles ?? []
}

export function hasRole(...rs: Role[]): boolean {
  return rs.some((r) => roles().includes(r))
}

/** unitName names a unit id ("chengguan" → 区城市管理和综合执法局). */
export function unitName(id: string | undefined | null): string {
  if (!id) return '—'
  return session.units.find((u) => u.id === id)?.name ?? id
}

export function leadUnitId(a: { assignments: { unit_id: string; role: string }[] | null }): string {
  return a.assignments?.find((x) => x.role === 'lead')?.unit_id ?? ''
}

export const KIND_NAMES: Record<string, string> = {
  centre: '分拨中心',
  street: '街道',
  community: '社区',
  department: '职能部门',
  enterprise: '公共服务企业',
}

/** statusName gives the Chinese name of a status from /meta. */
export function statusName(code: string | undefined): string {
  if (!code) return ''
  return session.meta?.statuses.find((s) => s.code === code)?.name ?? code
}
