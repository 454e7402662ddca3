import { createRouter, createWebHistory } from 'vue-router'
import { canOpen, homeFor } from './lib/menu'
import { loadSession, roles } from './store'

// Every page is its own chunk: a resident on the tracking page downloads
// neither the staff workspaces nor ECharts.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
    { path: '/track', component: () => import('./pages/TrackPage.vue'), meta: { public: true, title: '诉求查询与评价' } },
    { path: '/mine', component: () => import('./pages/MinePage.vue'), meta: { public: true, title: '我的诉求' } },
    { path: '/file', component: () => import('./pages/FilePage.vue'), meta: { public: true, title: '在线反映诉求' } },
    { path: '/onair', component: () => import('./pages/OnAirPage.vue'), meta: { public: true, title: '《民心桥》节目诉求' } },
    // 工单打印: a staff page without the frame, to print on A4.
    { path: '/print/:id', component: () => import('./pages/PrintPage.vue'), meta: { title: '打印工单' } },
    {
      path: '/',
      component: () => import('./pages/StaffLayout.vue'),
      children: [
        { path: '', redirect: () => homeFor(roles()) },
        { path: 'intake', component: () => import('./pages/IntakePage.vue'), meta: { title: '受理' } },
        { path: 'report', component: () => import('./pages/IntakePage.vue'), meta: { title: '社区上报', report: true } },
        { path: 'dispatch', component: () => import('./pages/DispatchPage.vue'), meta: { title: '分拨' } },
        { path: 'handle', component: () => import('./pages/HandlePage.vue'), meta: { title: '承办' } },
        { path: 'supervise', component: () => import('./pages/SupervisePage.vue'), meta: { title: '督办' } },
        { path: 'dashboard', component: () => import('./pages/DashboardPage.vue'), meta: { title: '领导看板' } },
        { path: 'flags', component: () => import('./pages/FlagsPage.vue'), meta: { title: '挂牌督办' } },
        { path: 'whistles', component: () => import('./pages/WhistlesPage.vue'), meta: { title: '吹哨报到' } },
        { path: 'points', component: () => import('./pages/PointsPage.vue'), meta: { title: '上报积分' } },
        { path: 'admin', component: () => import('./pages/AdminPage.vue'), meta: { title: '系统管理' } },
        { path: 'knowledge', component: () => import('./pages/KnowledgePage.vue'), meta: { title: '知识库' } },
        { path: 'appeals', component: () => import('./pages/AppealsPage.vue'), meta: { title: '诉求查询' } },
        { path: 'appeals/:id', component: () => import('./pages/AppealDetail.vue'), meta: { title: '诉求详情' } },
        { path: 'forbidden', component: () => import('./pages/ForbiddenPage.vue'), meta: { title: '无权访问' } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  document.title = `${(to.meta.title as string) ?? ''} · 呼应`
  if (to.meta.public) return true
  let loggedIn = false
  try {
    loggedIn = await loadSession()
  } catch {
    loggedIn = false
  }
  if (!loggedIn) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.path !== '/forbidden' && !canOpen(to.path, roles())) return { path: '/forbidden' }
  return true
})
