// Which workspaces a user sees, by role. The API enforces every permission;
// the menu only keeps people from pages that would refuse them.
import type { Role } from '../api/types'

export interface MenuItem {
  path: string
  title: string
  roles: Role[]
}

const STAFF: Role[] = ['intake', 'dispatcher', 'handler', 'reporter', 'supervisor', 'leader', 'admin']

/** MENU lists the workspaces in the order they are shown. */
export const MENU: MenuItem[] = [
  { path: '/intake', title: '受理', roles: ['intake'] },
  { path: '/report', title: '社区上报', roles: ['reporter'] },
  { path: '/points', title: '上报积分', roles: ['reporter'] },
  { path: '/dispatch', title: '分拨', roles: ['dispatcher'] },
  { path: '/handle', title: '承办', roles: ['handler'] },
  { path: '/supervise', title: '督办', roles: ['supervisor'] },
  { path: '/dashboard', title: '领导看板', roles: ['leader'] },
  { path: '/flags', title: '挂牌督办', roles: ['supervisor', 'leader'] },
  { path: '/whistles', title: '吹哨报到', roles: ['supervisor', 'leader'] },
  { path: '/admin', title: '系统管理', roles: ['admin'] },
  { path: '/appeals', title: '诉求查询', roles: STAFF },
  { path: '/knowledge', title: '知识库', roles: STAFF },
]

/** menuFor returns the menu items any of roles may open. */
export function menuFor(roles: readonly Role[]): MenuItem[] {
  return MENU.filter((m) => m.roles.some((r) => roles.includes(r)))
}

/** homeFor is where a user lands after login: the first workspace of theirs. */
export function homeFor(roles: readonly Role[]): string {
  return menuFor(roles)[0]?.path ?? '/forbidden'
}

/** canOpen reports whether roles may open path (detail pages follow 诉求查询). */
export function canOpen(path: string, roles: readonly Role[]): boolean {
  const item = MENU.find((m) => path === m.path || path.startsWith(m.path + '/'))
  if (!item) return true
  return item.roles.some((r) => roles.includes(r))
}
