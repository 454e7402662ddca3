// End-to-end test of the 呼应 console in a real browser against the real
// binary. It builds nothing: HUYING_BIN must name a huying binary built with
// the console embedded (make build). It starts `huying serve --demo` on a
// temporary data directory and a free loopback port, drives Debian's
// chromium (/usr/bin/chromium, or CHROMIUM) with playwright-core through the
// whole loop across roles, writes a screenshot of each workspace into
// e2e/screenshots/, prints the console's load time and bundle sizes as
// "BENCH name=value" lines, and stops the browser and the server at the end,
// also on failure.
//
//   HUYING_BIN=$PWD/bin/huying node e2e/run.mjs
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { chromium } from 'playwright-core'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const SHOTS = path.join(HERE, 'screenshots')
const BIN = process.env.HUYING_BIN
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const PASSWORD = 'huying2026'
const STEP_TIMEOUT = 15_000
// The whole run, demo seeding included: about 6 minutes on 2 shared cores with every step.
const TOTAL_TIMEOUT = 15 * 60_000

let server // child process
let serverLog = []
let dataDir
let base
let browser
const pageErrors = []
/** Every /assets/ file the browser fetched: url → {raw, gzip}. */
const assets = new Map()
/** Bench lines printed at the end. */
const bench = []

// ---------- setup and teardown ----------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitReady(url, ms) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`huying exited with ${server.exitCode} before it was ready`)
    try {
      const res = await fetch(url + '/readyz')
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`huying not ready after ${ms} ms`)
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((r) => server.once('exit', r))
  server.kill('SIGTERM')
  const t = setTimeout(() => server.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(t)
}

let cleaned = false
async function cleanup() {
  if (cleaned) return
  cleaned = true
  if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))])
  await stopServer()
  if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {})
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    cleanup().finally(() => process.exit(130))
  })
}
// A last guard: whatever happens, do not outlive the budget.
const watchdog = setTimeout(() => {
  console.error(`e2e: still running after ${TOTAL_TIMEOUT / 1000} s, stopping`)
  cleanup().finally(() => process.exit(1))
}, TOTAL_TIMEOUT)
watchdog.unref()

before(async () => {
  assert.ok(BIN, 'set HUYING_BIN to a huying binary built with the console (make build)')
  await mkdir(SHOTS, { recursive: true })
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'huying-e2e-'))
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(BIN, ['serve', '--demo', '--data', dataDir, '--addr', `127.0.0.1:${port}`, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const keep = (chunk) => {
    serverLog.push(...chunk.toString().split('\n').filter(Boolean))
    if (serverLog.length > 200) serverLog = serverLog.slice(-200)
  }
  server.stdout.on('data', keep)
  server.stderr.on('data', keep)
  await waitReady(base, 120_000)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60_000,
  })
})

after(async () => {
  for (const line of bench) console.log(line)
  await cleanup()
})

// ---------- helpers ----------

async function newContext(opts = {}) {
  // The browser runs in UTC on purpose: the console must still show Beijing time.
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'UTC', viewport: { width: 1440, height: 900 }, ...opts })
  ctx.setDefaultTimeout(STEP_TIMEOUT)
  ctx.on('response', async (res) => {
    const url = new URL(res.url())
    if (!url.pathname.startsWith('/assets/') || assets.has(url.pathname)) return
    try {
      const body = await res.body()
      assets.set(url.pathname, { raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length })
    } catch {
      // a response the page navigated away from
    }
  })
  ctx.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e.message}`)))
  return ctx
}

async function login(username) {
  const ctx = await newContext()
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(PASSWORD)
  await page.locator('[data-test=login]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  return page
}

/** shot writes screenshots/NAME.png: the whole page, or only the window when a dialog is open. */
async function shot(page, name, fullPage = true) {
  await page.waitForTimeout(300) // let transitions settle
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage })
}

function row(page, code) {
  return page.locator('tr.el-table__row', { has: page.locator(`a[data-code="${code}"]`) })
}

/**
 * pick opens the el-select inside scope, optionally types to filter, and
 * clicks the option labelled exactly label in that select's own list (found
 * by the input's aria-controls, so a list still fading out elsewhere is
 * never clicked), then closes the list. Every pick here is in a dialog.
 */
async function pick(page, scope, label, search) {
  const input = scope.locator('input[aria-controls]').first()
  const listId = await input.getAttribute('aria-controls')
  await scope.locator('.el-select__wrapper').first().click()
  const list = page.locator(`[id="${listId}"]`)
  await list.waitFor({ state: 'visible' })
  if (search) {
    await input.pressSequentially(search)
    await page.waitForTimeout(300) // the select filters after a short debounce and redraws its list
  }
  const option = list.locator('.el-select-dropdown__item').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).first()
  const chosen = scope.locator('.el-select__selected-item:not(.is-transparent)').filter({ hasText: label }).first()
  for (let i = 0; ; i++) {
    if (!(await list.isVisible())) await scope.locator('.el-select__wrapper').first().click()
    await option.click()
    try {
      await chosen.waitFor({ timeout: 2000 })
      break
    } catch (e) {
      if (i === 2) throw e
      console.log(`# pick: 「${label}」 was not selected by click ${i + 1}, clicking again`)
    }
  }
  // A multiple select stays open: click the dialog's title to close it (Escape would close the dialog).
  if (await list.isVisible()) await page.locator('.el-dialog__title:visible').first().click()
  await list.waitFor({ state: 'hidden' })
}

/** run clicks a command's button on the appeal's row, fills the dialog and submits it. */
async function run(page, code, cmd, fill) {
  await row(page, code).locator(`[data-cmd="${cmd}"]`).click()
  const dlg = page.locator(`.el-dialog:has([data-command="${cmd}"])`)
  await dlg.waitFor({ state: 'visible' })
  if (fill) await fill(dlg)
  await dlg.locator('[data-test=submit-action]').click()
  await dlg.waitFor({ state: 'hidden' })
}

async function api(page, method, p, body) {
  const res = await page.request.fetch(base + '/api/v1' + p, { method, data: body })
  return res.json()
}

async function tab(page, name) {
  await page.locator(`[data-tab="${name}"]`).click()
  await page.waitForLoadState('networkidle')
}

// ---------- the story ----------

let code // the appeal of the closed loop
let appealId
let dispatcher
let handler
let c2 // the appeal auto-dispatched, returned and reassigned to 马峦街道

test('the console loads fast and the login page works', async () => {
  const ctx = await newContext()
  const page = await ctx.newPage()
  // In the page, from navigation start to the login button being on screen
  // and enabled (the first screen interactive), without the test's own round trips.
  await page.addInitScript(() => {
    const seen = () => {
      const b = document.querySelector('[data-test=login]')
      if (b && b.getBoundingClientRect().height > 0 && !b.disabled) {
        window.__interactive = performance.now()
        return true
      }
      return false
    }
    const tick = () => (seen() ? undefined : requestAnimationFrame(tick))
    requestAnimationFrame(tick)
  })
  const t0 = Date.now()
  await page.goto(base + '/login')
  await page.locator('[data-test=login]').waitFor({ state: 'visible' })
  const wall = Date.now() - t0
  await page.waitForFunction(() => window.__interactive !== undefined)
  const interactive = Math.round(await page.evaluate(() => window.__interactive))
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0]
    return { dcl: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) }
  })
  await page.waitForLoadState('networkidle')
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.startsWith('/assets/')))
  const initial = loaded.reduce((s, p) => ({ raw: s.raw + (assets.get(p)?.raw ?? 0), gzip: s.gzip + (assets.get(p)?.gzip ?? 0) }), { raw: 0, gzip: 0 })
  bench.push(`BENCH console_first_screen_interactive_ms=${interactive} (in page, navigation start to the login form usable; ${wall} ms as the test saw it)`)
  bench.push(`BENCH console_dom_content_loaded_ms=${nav.dcl} console_load_event_ms=${nav.load}`)
  bench.push(`BENCH console_initial_load_files=${loaded.length} raw_bytes=${initial.raw} gzip_bytes=${initial.gzip}`)
  assert.ok(initial.gzip < 1.5 * 1024 * 1024, `initial load ${initial.gzip} bytes gzipped is over the 1.5 MB budget`)
  assert.ok(interactive < 2000, `first screen interactive after ${interactive} ms, over the 2 s budget`)
  // A wrong password shows the API's Chinese message.
  await page.locator('input[name=username]').fill('intake')
  await page.locator('input[name=password]').fill('wrong-password')
  await page.locator('[data-test=login]').click()
  await page.getByText('用户名或密码错误').waitFor()
  await shot(page, '01-login')
  await ctx.close()
})

test('受理: the intake agent files an appeal; a bad phone is shown at its field and nothing typed is lost', async () => {
  const page = await login('intake')
  assert.equal(new URL(page.url()).pathname, '/intake')
  await page.locator('.type-group label', { hasText: '投诉' }).click()
  const content = '六和社区和悦路夜间施工噪音很大，凌晨两点还在打桩，影响休息，请尽快处理。'
  await page.locator('textarea[name=content]').fill(content)
  await page.locator('input[name=address]').fill('坪山区坪山街道六和社区和悦路18号')
  await page.keyboard.press('Escape') // close the address suggestions
  await page.locator('input[name=contact_phone]').fill('123')
  await page.locator('input[name=contact_name]').fill('张三')
  await page.locator('[data-test=submit-intake]').click()
  const err = page.locator('.el-form-item:has(input[name=contact_phone]) .el-form-item__error')
  await err.waitFor()
  assert.match(await err.innerText(), /联系电话格式不正确/)
  assert.equal(await page.locator('textarea[name=content]').inputValue(), content)
  await shot(page, '02-intake-error')
  await page.locator('input[name=contact_phone]').fill('13912345678')
  await page.locator('input[name=contact_name]').press('Control+Enter')
  const codeEl = page.locator('[data-test=tracking-code]')
  await codeEl.waitFor()
  code = await codeEl.getAttribute('data-code')
  assert.match(code, /^PS\d{8}\d{6}$/)
  await shot(page, '03-intake-done')
  const a = await api(page, 'GET', `/appeals/${code}`)
  appealId = a.id
  // 建筑施工噪声 is a named matter: intake may have dispatched it (to 生态环境); the dispatcher recalls it below.
  assert.ok(['received', 'dispatched'].includes(a.status), a.status)

  // Next call, by keyboard only: a consultation (Alt+1), answered at once.
  await page.locator('[data-test=next-intake]').click()
  await page.locator('textarea[name=content]').waitFor()
  assert.equal(await page.locator('textarea[name=content]').inputValue(), '')
  await page.keyboard.press('Alt+1')
  await page.locator('textarea[name=content]').fill('请问新生儿医保在哪里办理，需要带什么材料？')
  await page.keyboard.press('Tab')
  await page.keyboard.type('坪山区坪山街道坪山社区')
  await page.keyboard.press('Escape')
  await page.locator('input[name=contact_phone]').fill('075528888888')
  await page.locator('input[name=contact_name]').fill('王五')
  await page.keyboard.press('Control+Enter')
  await page.locator('[data-test=tracking-code]').waitFor()
  await page.locator('[data-cmd=answer]').click()
  const dlg = page.locator('.el-dialog:has([data-command="answer"])')
  await dlg.locator('textarea').fill('新生儿可在出生后三个月内到坪山区政务服务中心医保窗口办理参保，携带出生医学证明和户口簿。')
  await dlg.locator('textarea').press('Control+Enter')
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('.status-line', { hasText: '已直接答复' }).waitFor()
  await page.context().close()
})

test('分拨: the dispatcher dispatches to a lead unit with an assisting unit', async () => {
  dispatcher = await login('dispatcher')
  assert.equal(new URL(dispatcher.url()).pathname, '/dispatch')
  const filed = await api(dispatcher, 'GET', `/appeals/${code}`)
  if (filed.status === 'dispatched') {
    assert.ok(filed.assignments.some((x) => x.role === 'lead' && x.unit_id === 'huanjing'), 'auto-dispatched by the 施工噪声 matter')
    await api(dispatcher, 'POST', `/appeals/${code}/recall`, { version: filed.version, note: '改由城管执法局牵头' })
  }
  await row(dispatcher, code).waitFor()
  const t0 = Date.now()
  await dispatcher.reload()
  await row(dispatcher, code).waitFor()
  bench.push(`BENCH dispatcher_queue_render_ms=${Date.now() - t0} (page reload to the queue drawn, demo data, ${await dispatcher.locator('tr.el-table__row').count()} rows)`)
  await shot(dispatcher, '04-dispatch')
  await run(dispatcher, code, 'dispatch', async (dlg) => {
    await pick(dispatcher, dlg.locator('[data-test=lead-unit]'), '区城市管理和综合执法局', '城市管理')
    await pick(dispatcher, dlg.locator('[data-test=assist-units]'), '坪山街道', '坪山街道')
    await dlg.locator('textarea').fill('夜间施工噪音，请城管执法局牵头，坪山街道配合。')
    await shot(dispatcher, '04b-dispatch-dialog', false)
  })
  await row(dispatcher, code).waitFor({ state: 'detached' })
  const a = await api(dispatcher, 'GET', `/appeals/${code}`)
  assert.equal(a.status, 'dispatched')
  assert.ok(a.assignments.some((x) => x.role === 'lead' && x.unit_id === 'chengguan'))
  assert.ok(a.assignments.some((x) => x.role === 'assist' && x.unit_id === 'st-pingshan'))
})

test('承办: the handler signs, contacts the resident, sees the contact, and replies', async () => {
  handler = await login('h-chengguan')
  assert.equal(new URL(handler.url()).pathname, '/handle')
  await row(handler, code).waitFor()
  const overdue = Number(await handler.locator('[data-test=overdue-count]').innerText())
  assert.ok(overdue > 0, 'the demo unit has overdue orders')
  assert.ok(await handler.locator('tr.row-overdue').count() > 0, 'overdue rows are red')
  await shot(handler, '05-handle')
  await run(handler, code, 'sign')
  await run(handler, code, 'contact', async (dlg) => {
    await dlg.locator('label.el-radio-button', { hasText: '电话' }).click()
    await dlg.locator('textarea').fill('已电话联系张先生，约定今晚到现场核查。')
  })
  // The contact, unmasked for the handling unit; the read is logged.
  await handler.goto(base + `/appeals/${appealId}`)
  assert.match(await handler.locator('[data-test=contact]').innerText(), /张\*/)
  await handler.locator('[data-test=show-contact]').click()
  await handler.locator('[data-test=contact]', { hasText: '13912345678' }).waitFor()
  await handler.getByText('查看联系方式', { exact: true }).first().waitFor()
  await handler.goBack()
  await run(handler, code, 'reply', async (dlg) => {
    await pick(handler, dlg, '已解决')
    await dlg.locator('textarea').fill('经现场核查，已责令施工单位停止夜间施工，并纳入重点巡查。')
  })
  const a = await api(handler, 'GET', `/appeals/${code}`)
  assert.equal(a.status, 'replied')
})

async function review() {
  await dispatcher.goto(base + '/dispatch')
  await tab(dispatcher, 'replied')
  await run(dispatcher, code, 'review', async (dlg) => {
    await dlg.locator('label.el-radio-button', { hasText: '审核通过' }).click()
  })
  const a = await api(dispatcher, 'GET', `/appeals/${code}`)
  assert.equal(a.status, 'reviewed')
}

/** The resident tracks the appeal on a phone and rates it. */
async function residentRates(satisfaction, stars, name) {
  const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  const page = await ctx.newPage()
  await page.goto(base + `/track?code=${code}`)
  await page.locator('input[name=phone4]').fill('5678')
  await page.locator('[data-test=track]').click()
  await page.locator('[data-test=tracking]').waitFor()
  assert.equal(await page.locator('[data-test=track-status]').innerText(), '待回访评价')
  const form = page.locator('[data-test=rate-form]')
  await form.waitFor()
  // Submitting without a choice shows the message at the field.
  await page.locator('[data-test=submit-rating]').click()
  await form.getByText('请选择满意、基本满意或不满意').waitFor()
  await form.locator('label.el-radio-button').filter({ hasText: new RegExp(`^\\s*${satisfaction}\\s*$`) }).click()
  for (const dim of ['speed', 'effect', 'experience', 'reply_quality']) {
    await form.locator(`[data-dim=${dim}] .el-rate__item`).nth(stars - 1).click()
  }
  await form.locator('textarea').fill(satisfaction === '不满意' ? '晚上还是有施工声音，问题没有彻底解决。' : '已经安静了，谢谢！')
  await shot(page, name)
  await page.locator('[data-test=submit-rating]').click()
  await form.waitFor({ state: 'detached' })
  const status = await page.locator('[data-test=track-status]').innerText()
  await shot(page, name + '-after')
  await ctx.close()
  return status
}

test('审核 → 评价不满意 → 重办', async () => {
  await review()
  const status = await residentRates('不满意', 2, '06-track-mobile')
  assert.equal(status, '待签收') // redo: back to the same unit
  const a = await api(dispatcher, 'GET', `/appeals/${code}`)
  assert.equal(a.redo_count, 1)
  assert.equal(a.designated, true)
})

test('重办: the unit signs and replies again; review; the resident is satisfied; archive', async () => {
  await handler.goto(base + '/handle')
  await row(handler, code).waitFor()
  assert.equal(await row(handler, code).locator('[data-cmd=return]').count(), 0, 'a redo cannot be returned')
  await run(handler, code, 'sign')
  await run(handler, code, 'reply', async (dlg) => {
    await pick(handler, dlg, '已解决')
    await dlg.locator('textarea').fill('重办：施工单位已调整工期，夜间停工，已回访确认。')
  })
  await review()
  assert.equal(await residentRates('满意', 5, '07-track-satisfied'), '已评价')
  await dispatcher.goto(base + '/dispatch')
  await tab(dispatcher, 'closed')
  await run(dispatcher, code, 'archive')
  await dispatcher.goto(base + `/appeals/${appealId}`)
  await dispatcher.locator('[data-test=chain]', { hasText: '审计链校验通过' }).waitFor()
  await dispatcher.getByText('已归档').first().waitFor()
  // The dispatcher may not unmask the contact: the API's message is shown.
  await dispatcher.locator('[data-test=show-contact]').click()
  await dispatcher.locator('[data-test=contact-error]', { hasText: '您的角色不能查看诉求人的完整联系方式' }).waitFor()
  // Beijing time although the browser runs in UTC.
  const a = await api(dispatcher, 'GET', `/appeals/${code}`)
  assert.equal(a.status, 'archived')
  const bj = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(new Date(a.received_at))
  await dispatcher.getByText(bj).first().waitFor()
  await shot(dispatcher, '08-detail')
})

test('分拨: the dispatcher archives two closed appeals at once', async () => {
  await dispatcher.goto(base + '/dispatch')
  await tab(dispatcher, 'closed')
  const rows = dispatcher.locator('tr.el-table__row')
  await rows.first().waitFor()
  const codes = []
  for (const i of [0, 1]) {
    codes.push(await rows.nth(i).locator('[data-code]').getAttribute('data-code'))
    await rows.nth(i).locator('.el-checkbox').click()
  }
  await dispatcher.locator('[data-test=batch]', { hasText: '（2 件）' }).waitFor()
  await shot(dispatcher, '08b-batch')
  await dispatcher.locator('[data-test=batch]').click()
  await dispatcher.locator('.el-message', { hasText: '批量归档：已完成 2 件' }).waitFor()
  for (const c of codes) assert.equal((await api(dispatcher, 'GET', `/appeals/${c}`)).status, 'archived', c)
})

test('自动派单 → 退单 → 异议审核 → 改派', async () => {
  // A channel files through the API with the demo token. The classifier is
  // sure it is 城乡建设 and the catalogue routes 占道 to 城管, so intake
  // dispatches it at once, with an event saying why.
  const token = (await readFile(path.join(dataDir, 'demo-token.txt'), 'utf8')).trim()
  const res = await fetch(base + '/api/v1/appeals', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-return-1' },
    body: JSON.stringify({ type: '投诉', content: '马峦街道沙壆社区沙壆路小区内部道路有流动摊贩占道经营，堵塞通道。', address: '坪山区马峦街道沙壆社区沙壆路', contact_name: '李四', contact_phone: '13800001111' }),
  })
  assert.equal(res.status, 201)
  const filed = await res.json()
  assert.equal(filed.channel, '小程序')
  assert.equal(filed.status, 'dispatched', 'auto-dispatched at intake')
  assert.ok(filed.assignments.some((x) => x.role === 'lead' && x.unit_id === 'chengguan'))
  assert.equal(filed.triage.community, 'c-shaxue', 'placed by the address')
  c2 = filed.code
  const events = await api(dispatcher, 'GET', `/appeals/${c2}/events`)
  assert.ok(events.items.some((e) => e.kind === 'dispatch' && e.actor_kind === 'system' && e.note.includes('自动派单')))
  // 城管 returns it: the road is inside an estate, a matter for the street.
  await handler.goto(base + '/handle')
  await row(handler, c2).waitFor()
  await run(handler, c2, 'return', async (dlg) => {
    await dlg.locator('label.el-radio-button', { hasText: '属地不符' }).click()
    await dlg.locator('textarea').fill('小区内部道路属物业管理区域，应由属地街道协调处置。')
  })
  assert.equal((await api(handler, 'GET', `/appeals/${c2}`)).status, 'returned')
  await dispatcher.goto(base + '/dispatch')
  await tab(dispatcher, 'returned')
  await run(dispatcher, c2, 'arbitrate', async (dlg) => {
    await dlg.getByText('属地不符').first().waitFor() // the return's reason is shown
    await dlg.locator('label.el-radio-button', { hasText: '改派其他单位' }).click()
    await pick(dispatcher, dlg.locator('[data-test=lead-unit]'), '马峦街道', '马峦')
    await dlg.locator('textarea').fill('退单理由成立，改派马峦街道属地处置。')
    await shot(dispatcher, '08b-arbitrate-dialog', false)
  })
  const a = await api(dispatcher, 'GET', `/appeals/${c2}`)
  assert.equal(a.status, 'dispatched')
  assert.ok(a.assignments.some((x) => x.role === 'lead' && x.unit_id === 'st-maluan'))
  assert.ok(a.assignments.some((x) => x.role === 'copy' && x.unit_id === 'ps-centre'), '直派街道，抄送区级')
  const maluan = await login('h-st-maluan')
  await maluan.goto(base + '/handle')
  await row(maluan, c2).waitFor()
  await maluan.context().close()
})

test('拆分 → 二级分拨 → 指派处理人: a two-matter appeal split; the street passes its part to a community, which names a handler', async () => {
  const dispatcher = await login('dispatcher')
  const filed = await api(dispatcher, 'POST', '/appeals', {
    type: '求助', channel: '12345热线', address: '坪山区坪山街道六和社区和悦居3栋', contact_name: '赵六', contact_phone: '13912340000',
    content: '坪山街道六和社区和悦居3栋楼道灯坏了一个月，晚上上下楼看不见。另外小区门口的垃圾桶满溢，臭味很大，希望及时清运。',
  })
  let parent = filed.code
  assert.ok(parent, JSON.stringify(filed))
  if (filed.status === 'dispatched') await api(dispatcher, 'POST', `/appeals/${parent}/recall`, { note: '含两项事项，拆分办理' }) // auto-dispatched at intake
  await dispatcher.goto(base + '/dispatch')
  await dispatcher.locator('.page-title input').fill(parent)
  await row(dispatcher, parent).waitFor()
  await run(dispatcher, parent, 'split', async (dlg) => {
    // The parts start from the appeal's sentences; the first goes to the street at once.
    await dlg.locator('[data-part="1"]').waitFor()
    assert.match(await dlg.locator('[data-part="0"] textarea').inputValue(), /楼道灯/)
    await pick(dispatcher, dlg.locator('[data-part="0"] [data-test=part-lead]'), '坪山街道', '坪山街道')
    await dlg.locator('[data-part="0"]').locator('input[data-test=part-category], [data-test=part-category] input').first().fill('城乡建设/城市建设和市政管理/居民服务设施')
    await dlg.locator('textarea').last().fill('来电反映楼道灯和垃圾清运两项事项，拆分办理。')
    await shot(dispatcher, '16-split-dialog', false)
  })
  const p = await api(dispatcher, 'GET', `/appeals/${parent}`)
  assert.equal(p.status, 'split')
  assert.deepEqual(p.parts.map((x) => x.code), [`${parent}-1`, `${parent}-2`])
  assert.equal(p.parts[0].status, 'dispatched')
  assert.equal(p.parts[1].status, 'received')
  await dispatcher.goto(base + `/appeals/${p.id}`)
  await dispatcher.locator('[data-test=parts]').waitFor()
  await shot(dispatcher, '16b-split-parent')
  await dispatcher.context().close()

  // 二级分拨: 坪山街道 signs and passes the order on to 六和社区 (a community-duty matter).
  const part = `${parent}-1`
  const street = await login('h-st-pingshan')
  await street.goto(base + '/handle')
  await row(street, part).waitFor()
  await run(street, part, 'sign')
  await run(street, part, 'pass_down', async (dlg) => {
    await pick(street, dlg.locator('[data-test=community]'), '六和社区')
    await dlg.locator('textarea').fill('楼道灯属小区居民服务设施，由社区协调物业维修。')
    await shot(street, '17-pass-down-dialog', false)
  })
  const a = await api(street, 'GET', `/appeals/${part}`)
  assert.equal(a.status, 'dispatched')
  assert.ok(a.assignments.some((x) => x.role === 'lead' && x.unit_id === 'c-liuhe'))
  assert.ok(a.assignments.some((x) => x.role === 'copy' && x.unit_id === 'st-pingshan'), 'the street stays answerable (首接负责)')
  await street.context().close()

  // The community signs and names its handler, who finds it under 我的工单.
  const comm = await login('c-liuhe')
  await comm.goto(base + '/handle')
  await row(comm, part).waitFor()
  await run(comm, part, 'sign')
  await run(comm, part, 'assign', async (dlg) => {
    await pick(comm, dlg.locator('[data-test=assignee]'), '六和社区党委')
  })
  await tab(comm, 'mine')
  await row(comm, part).waitFor()
  await shot(comm, '18-my-orders')
  await comm.context().close()

  // The resident follows both parts on the parent's page.
  const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  const page = await ctx.newPage()
  await page.goto(base + `/track?code=${parent}`)
  await page.locator('input[name=phone4]').fill('0000')
  await page.locator('[data-test=track]').click()
  await page.locator(`[data-test=track-parts] [data-part="${part}"]`).waitFor()
  await shot(page, '19-track-parts')
  await ctx.close()
})

/** smsCode waits for the newest verification code sent to phone in the demo's SMS log (DATA/sms.log). */
async function smsCode(phone) {
  const end = Date.now() + STEP_TIMEOUT
  while (Date.now() < end) {
    const text = await readFile(path.join(dataDir, 'sms.log'), 'utf8').catch(() => '')
    const mine = text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((m) => m.to === phone && m.kind === '验证码')
    const m = mine.length ? /(\d{6})/.exec(mine[mine.length - 1].text) : null
    if (m) return m[1]
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no SMS code for ${phone} in ${STEP_TIMEOUT} ms`)
}

test('群众自助: a resident proves the phone with an SMS code and files from a phone', async () => {
  const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
  const page = await ctx.newPage()
  await page.goto(base + '/file')
  await page.locator('input[name=phone]').fill('13700001234')
  await page.locator('[data-test=send-code]').click()
  const smsCodeValue = await smsCode('13700001234')
  // A wrong code is refused at its field.
  await page.locator('input[name=sms_code]').fill(smsCodeValue === '000000' ? '111111' : '000000')
  await page.locator('[data-test=verify]').click()
  await page.locator('.el-form-item:has(input[name=sms_code]) .el-form-item__error', { hasText: '验证码错误' }).waitFor()
  await page.locator('input[name=sms_code]').fill(smsCodeValue)
  await page.locator('[data-test=verify]').click()
  await page.locator('[data-test=verified]').waitFor()
  await page.locator('textarea[name=content]').fill('坑梓街道秀新社区人民西路路灯坏了一个多星期，晚上很黑，老人小孩出行不安全。')
  await page.locator('input[name=address]').fill('坪山区坑梓街道秀新社区人民西路')
  await page.locator('input[name=contact_name]').fill('赵女士')
  await shot(page, '07b-file-mobile')
  await page.locator('[data-test=file]').click()
  const filed = page.locator('[data-test=filed-code]')
  await filed.waitFor()
  const c3 = await filed.getAttribute('data-code')
  await shot(page, '07c-file-done')
  await page.getByRole('button', { name: '查看办理进度' }).click()
  await page.locator('input[name=phone4]').fill('1234')
  await page.locator('[data-test=track]').click()
  await page.locator('[data-test=tracking]').waitFor()
  // 我的诉求: the same SMS session lists the resident's own appeals; add 补充材料.
  await page.goto(base + '/mine')
  const item = page.locator(`[data-test=mine] [data-code="${c3}"]`)
  await item.waitFor()
  await item.locator('.top').click()
  await item.locator('[data-test=my-track]').waitFor()
  await item.locator('[data-test=submit-supplement]').click()
  await item.locator('.el-form-item__error', { hasText: '请填写补充内容' }).waitFor()
  await item.locator('textarea[name=supplement]').fill('补充：路灯杆编号 KZ-0231，就在秀新公交站对面。')
  await item.locator('[data-test=submit-supplement]').click()
  await page.getByText('补充材料已提交').waitFor()
  assert.equal(await item.locator('textarea[name=supplement]').inputValue(), '')
  await shot(page, '07d-mine-mobile')
  await ctx.close()
  const a = await api(dispatcher, 'GET', `/appeals/${c3}`)
  assert.equal(a.channel, '移动端')
  assert.ok(['received', 'dispatched'].includes(a.status), a.status)
})

test('督办: the supervisor sees overdue items by unit and verifies the audit chain', async () => {
  const page = await login('supervisor')
  assert.equal(new URL(page.url()).pathname, '/supervise')
  await page.locator('[data-test=board-items] tr.el-table__row').first().waitFor()
  const red = Number(await page.locator('[data-test=red-total]').innerText())
  assert.ok(red > 0, 'the demo seed has overdue orders')
  await page.locator('[data-test=board-items]').getByText('红灯超期').first().waitFor()
  await page.locator('[data-test=audit-verify]').click()
  await page.locator('[data-test=audit-result]', { hasText: '审计链校验通过' }).waitFor()
  await shot(page, '09-supervise')
  await page.context().close()
})

test('督办: 催办 and 挂牌督办 with a progress entry', async () => {
  const page = await login('supervisor')
  const open = await api(page, 'GET', '/appeals?status=signed&limit=1')
  const target = open.items[0]
  assert.ok(target, 'the demo has a signed appeal')
  await page.goto(base + `/appeals/${target.id}`)
  await page.locator('[data-test=urge]').click()
  const urge = page.locator('.el-dialog:has([data-dialog=urge])')
  await urge.locator('textarea').fill('该诉求已临近办结时限，请抓紧办理并及时回复。')
  await urge.locator('[data-test=submit-urge]').click()
  await urge.waitFor({ state: 'hidden' })
  await page.locator('.ev-head', { hasText: '催办' }).first().waitFor()
  await page.locator('[data-test=flag]').click()
  const flag = page.locator('.el-dialog:has([data-dialog=flag])')
  await flag.locator('[data-test=submit-flag]').click()
  await flag.locator('.el-form-item__error', { hasText: '请选择督办时限' }).waitFor()
  await flag.locator('textarea').fill('群众多次反映，久拖未决，挂牌督办。')
  const due = flag.locator('.el-date-editor input')
  await due.fill('2030-01-15 18:00')
  await due.press('Enter')
  await flag.locator('.el-dialog__title').click()
  await shot(page, '12a-flag-dialog', false)
  await flag.locator('[data-test=submit-flag]').click()
  await flag.waitFor({ state: 'hidden' })
  const card = page.locator('[data-test=supervision] [data-flag]').first()
  await card.waitFor()
  await card.locator('[data-test=flag-progress]').click()
  const prog = page.locator('.el-dialog:has([data-dialog=flag-progress])')
  await prog.locator('textarea').fill('已约谈承办单位负责人，明确本周五前完成整改。')
  await prog.locator('[data-test=submit-flag-progress]').click()
  await prog.waitFor({ state: 'hidden' })
  await card.getByText('已约谈承办单位负责人').waitFor()
  await shot(page, '12-detail-supervision')
  await page.goto(base + '/flags')
  await page.locator(`[data-test=flags] [data-code="${target.code}"]`).waitFor()
  await shot(page, '13-flags')
  await page.context().close()
})

test('吹哨报到: the street blows the whistle, the department reports in', async () => {
  const street = await login('h-st-maluan')
  const a = await api(street, 'GET', `/appeals/${c2}`)
  await street.goto(base + `/appeals/${a.id}`)
  await street.locator('[data-test=whistle]').click()
  const dlg = street.locator('.el-dialog:has([data-dialog=whistle])')
  await pick(street, dlg.locator('[data-test=whistle-units]'), '区城市管理和综合执法局', '城市管理')
  await dlg.locator('textarea').fill('小区内部道路占道经营，需城管执法到场联合处置。')
  await dlg.locator('[data-test=submit-whistle]').click()
  await dlg.waitFor({ state: 'hidden' })
  await street.locator('[data-test=call-state]', { hasText: '待报到' }).waitFor()
  await street.context().close()
  await handler.goto(base + `/appeals/${a.id}`)
  await handler.locator('[data-test=report-in]').click()
  await handler.locator('[data-test=call-state]', { hasText: '按时报到' }).waitFor()
  await handler.locator('.ev-head', { hasText: '部门报到' }).first().waitFor()
  await shot(handler, '14-whistle-report-in')
  const sup = await login('supervisor')
  await sup.goto(base + '/whistles')
  await sup.locator('[data-test=summoned] .el-table__row', { hasText: '区城市管理和综合执法局' }).waitFor()
  await shot(sup, '15-whistle-stats')
  await sup.context().close()
})

test('领导: the dashboard draws its charts', async () => {
  const page = await login('leader')
  assert.equal(new URL(page.url()).pathname, '/dashboard')
  const charts = async () => {
    for (const c of ['status', 'type', 'channel', 'lights']) await page.locator(`[data-test=chart-${c}] canvas`).waitFor()
  }
  await charts()
  // Measured on a reload: the page, its data (about 20 API reads) and four charts.
  const t0 = Date.now()
  await page.reload()
  await charts()
  bench.push(`BENCH leader_dashboard_render_ms=${Date.now() - t0} (page reload to four charts drawn, demo data)`)
  assert.ok(Number(await page.locator('[data-test=total]').innerText()) >= 320)
  await shot(page, '10-dashboard')
  await page.context().close()
})

test('管理: the admin adds a user, with the API error shown at the field first', async () => {
  const page = await login('admin')
  assert.equal(new URL(page.url()).pathname, '/admin')
  await page.locator('[data-test=add-user]').click()
  const dlg = page.locator('.el-dialog', { hasText: '添加用户' })
  await dlg.waitFor()
  await dlg.locator('input').nth(0).fill('E2E Agent')
  await dlg.locator('input').nth(1).fill('测试受理员')
  await dlg.locator('input').nth(2).fill('e2e-password')
  await pick(page, dlg.locator('.el-form-item', { hasText: '所属单位' }), '坪山区民生诉求分拨中心', '分拨中心')
  await dlg.locator('label.el-checkbox', { hasText: '受理员' }).click()
  await dlg.locator('[data-test=submit-user]').click()
  await dlg.locator('.el-form-item__error', { hasText: '用户名须为' }).waitFor()
  await dlg.locator('input').nth(0).fill('e2e-agent')
  await dlg.locator('[data-test=submit-user]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('.el-table .cell').filter({ hasText: /^e2e-agent$/ }).waitFor()
  await shot(page, '11-admin')
  await page.locator('.el-tabs__item', { hasText: '受理渠道' }).click()
  await page.locator('[data-test=channels] .el-table__row', { hasText: '小程序' }).first().waitFor()
  await shot(page, '11b-admin-channels')
  await page.locator('.el-tabs__item', { hasText: '派单目录' }).click()
  await page.locator('[data-test=catalogue] .el-table__row').first().waitFor()
  await shot(page, '11c-admin-catalogue')
  await page.context().close()
})

test('管理: the admin renames and disables a unit, saves an SLA version, and imports a holiday notice', async () => {
  const page = await login('admin')
  await page.locator('.el-tabs__item', { hasText: /^单位/ }).click()
  const unitRow = () => page.locator('[data-test=units] .el-table__row', { hasText: '区文化广电旅游体育局' }).first()
  await unitRow().locator('button', { hasText: '编辑' }).click()
  const edit = page.locator('.el-dialog', { hasText: '编辑单位' })
  await edit.waitFor()
  await edit.locator('input[aria-label=单位名称]').fill('区文化广电旅游体育局（文体）')
  await edit.locator('button', { hasText: '保存' }).click()
  await edit.waitFor({ state: 'hidden' })
  await unitRow().filter({ hasText: '（文体）' }).waitFor()
  await unitRow().locator('button', { hasText: '停用' }).click()
  await page.locator('.el-message-box button', { hasText: '停用' }).click()
  await unitRow().locator('.el-tag', { hasText: '已停用' }).waitFor()
  const units = await api(page, 'GET', '/units')
  const wenti = units.items.find((u) => u.id === 'wenti')
  assert.ok(wenti.disabled_at && wenti.version === 3 && wenti.name === '区文化广电旅游体育局（文体）', JSON.stringify(wenti))
  await shot(page, '11d-admin-units')
  await unitRow().locator('button', { hasText: '启用' }).click()
  await page.locator('.el-message-box button', { hasText: '启用' }).click()
  await unitRow().locator('button', { hasText: '停用' }).waitFor()

  await page.locator('.el-tabs__item', { hasText: '时限配置' }).click()
  await page.locator('[data-test=sla] .el-table__row', { hasText: '第 1 版' }).waitFor()
  await page.locator('button', { hasText: '修改时限' }).click()
  const sla = page.locator('.el-dialog', { hasText: '新建时限配置' })
  await sla.waitFor()
  await sla.locator('input[aria-label=投诉一般办结时限]').fill('10wd')
  await sla.locator('button', { hasText: '保存为新版本' }).click()
  await sla.locator('.el-form-item__error', { hasText: '修改原因' }).waitFor()
  await sla.locator('input[aria-label=修改原因]').fill('投诉办结时限缩短为 10 个工作日')
  await shot(page, '11e-admin-sla-edit', false)
  await sla.locator('button', { hasText: '保存为新版本' }).click()
  await sla.waitFor({ state: 'hidden' })
  await page.locator('[data-test=sla] .el-table__row', { hasText: '第 2 版' }).filter({ hasText: '当前' }).waitFor()
  await shot(page, '11f-admin-sla')

  await page.locator('.el-tabs__item', { hasText: '节假日' }).click()
  await page.locator('.month').first().waitFor()
  await page.locator('button', { hasText: '导入国务院节假日通知' }).click()
  const imp = page.locator('.el-dialog', { hasText: '导入国务院节假日通知' })
  await imp.waitFor()
  await imp.locator('.el-form-item', { hasText: '年份' }).locator('input').fill('2027')
  const csv = (makeUp) => '节日,放假开始,放假结束,调休上班\n元旦,2027-01-01,2027-01-03,\n春节,2027-02-05,2027-02-13,2027-01-31;2027-02-14\n' +
    '清明节,2027-04-03,2027-04-05,\n劳动节,2027-05-01,2027-05-05,2027-05-08\n端午节,2027-06-09,2027-06-09,\n' +
    `中秋节,2027-09-15,2027-09-15,\n国庆节,2027-10-01,2027-10-07,2027-09-26;${makeUp}\n`
  await imp.locator('textarea[aria-label=节假日安排内容]').fill(csv('2027-10-11'))
  await imp.locator('button', { hasText: '校验' }).click()
  await imp.locator('.el-form-item__error', { hasText: '第 8 行' }).waitFor()
  await imp.locator('textarea[aria-label=节假日安排内容]').fill(csv('2027-10-10'))
  await imp.locator('button', { hasText: '校验' }).click()
  await imp.locator('.el-alert', { hasText: '校验通过' }).waitFor()
  await shot(page, '11g-admin-calendar-import', false)
  await imp.locator('button', { hasText: /^\s*导入\s*$/ }).click()
  await imp.waitFor({ state: 'hidden' })
  await page.locator('.year h3', { hasText: '2027 年' }).filter({ hasText: '已确认' }).waitFor()
  const y = await api(page, 'GET', '/calendar/2027')
  assert.equal(y.confirmed, true)
  assert.equal(y.days.find((d) => d.date === '2027-10-10').kind, '调休上班日')
  await shot(page, '11h-admin-calendar')
  await page.context().close()

  const phone = await (await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })).newPage()
  await phone.goto(base + '/login')
  await phone.locator('input[name=username]').fill('admin')
  await phone.locator('input[name=password]').fill(PASSWORD)
  await phone.locator('[data-test=login]').click()
  await phone.waitForURL((u) => !u.pathname.startsWith('/login'))
  await phone.locator('.el-tabs__item', { hasText: '节假日' }).click()
  await phone.locator('.month').first().waitFor()
  await phone.locator('.month').first().scrollIntoViewIfNeeded()
  await shot(phone, '11i-admin-calendar-phone', false)
  await phone.context().close()
})

test('知识库: intake suggests articles as the agent types; the answer quotes one; the page counts its use', async () => {
  const page = await login('intake')
  await page.keyboard.press('Alt+1')
  await page.locator('textarea[name=content]').fill('你好，我家里的燃气费在哪里可以交？之前一直是物业代收的。')
  const item = page.locator('[data-test=knowledge-item]', { hasText: '燃气费怎么缴纳' })
  await item.waitFor()
  assert.match(await item.innerText(), /燃气费/) // the keyword it matched
  await page.locator('input[name=address]').fill('坪山区坪山街道六和社区')
  await page.keyboard.press('Escape')
  await page.locator('input[name=contact_phone]').fill('13912340000')
  await page.locator('input[name=contact_name]').fill('赵六')
  await shot(page, '20-knowledge-suggest')
  await page.keyboard.press('Control+Enter')
  await page.locator('[data-test=tracking-code]').waitFor()
  const kcode = await page.locator('[data-test=tracking-code]').getAttribute('data-code')
  await item.locator('[data-test=knowledge-use]').click()
  const dlg = page.locator('.el-dialog:has([data-command="answer"])')
  await dlg.waitFor({ state: 'visible' })
  assert.match(await dlg.locator('textarea').inputValue(), /深圳燃气/)
  await dlg.locator('[data-test=knowledge-item].chosen', { hasText: '燃气费怎么缴纳' }).waitFor()
  await shot(page, '21-answer-from-article', false)
  await dlg.locator('[data-test=submit-action]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('.status-line', { hasText: '已直接答复' }).waitFor()
  const events = await api(page, 'GET', `/appeals/${kcode}/events`)
  const answer = events.items.find((e) => e.kind === 'answer')
  assert.match(answer.data, /燃气费怎么缴纳/)

  await page.goto(base + '/knowledge')
  await page.locator('input[aria-label=搜索知识库]').fill('燃气费')
  await page.locator('.filters button[type=submit]').click()
  const art = page.locator('[data-test=articles] tr.el-table__row', { hasText: '燃气费怎么缴纳' })
  await art.waitFor()
  const uses = Number((await art.locator('td').nth(4).innerText()).trim())
  assert.ok(uses >= 1, `the article counts ${uses} uses`)
  await shot(page, '22-knowledge-page')
  await page.context().close()
})

test('实时通知: an order dispatched elsewhere appears in the open inbox and on the bell without a reload', async () => {
  const h = await login('h-shuiwu')
  await h.goto(base + '/handle')
  await h.locator('[data-test=bell]').waitFor()
  const before = await h.locator('[data-test=bell] .el-badge__content').isVisible() ? Number(await h.locator('[data-test=bell] .el-badge__content').innerText()) : 0
  const d = await login('dispatcher')
  const a = await api(d, 'POST', '/appeals', {
    type: '求助', urgency: '一般', channel: '12345热线', content: '坪山街道六和社区和平路12号自来水管爆裂，路面积水，请尽快抢修。',
    address: '坪山区坪山街道六和社区和平路12号', contact_name: '孙七', contact_phone: '13912345670',
  })
  assert.ok(a.code, JSON.stringify(a))
  // Auto-dispatch may have sent it already: take it back first (撤回), so that this dispatch is the one the inbox sees.
  const fresh = a.status === 'dispatched' ? await api(d, 'POST', `/appeals/${a.code}/recall`, { version: a.version, note: '测试改派' }) : a
  const res = await api(d, 'POST', `/appeals/${a.code}/dispatch`, { lead_unit_id: 'shuiwu', version: fresh.version })
  assert.equal(res.status, 'dispatched', JSON.stringify(res))
  const t0 = Date.now()
  await row(h, a.code).waitFor({ timeout: 15000 })
  const seenAfter = Date.now() - t0
  await h.locator('.el-notification', { hasText: a.code }).waitFor({ timeout: 15000 })
  const after = Number(await h.locator('[data-test=bell] .el-badge__content').innerText())
  assert.ok(after >= before + 1, `bell ${before} → ${after}`)
  bench.push(`BENCH live_update_new_order_visible_ms=${seenAfter} (dispatch answered → the row in the handler's open inbox)`)
  await shot(h, '23-live-notice')
  await h.locator('[data-test=bell]').click()
  await h.locator('[data-test=notices] li', { hasText: a.code }).first().click()
  await h.waitForURL((u) => u.pathname === `/appeals/${a.id}`)
  await h.context().close()
  await d.context().close()
})

// ---------- issue 12: the console review ----------

/** beijingToday is today's date in Beijing, YYYY-MM-DD. */
function beijingToday() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())
}

test('回访: the dialog shows content, reply, files and the phone; 未接通 is recorded and retried only after the spacing', async () => {
  const page = await login('dispatcher')
  await page.goto(base + '/dispatch')
  await tab(page, 'reviewed')
  const first = page.locator('tr.el-table__row').first()
  await first.waitFor()
  const c = await first.locator('[data-code]').getAttribute('data-code')
  const before = await api(page, 'GET', `/appeals/${c}`)
  await first.locator('[data-cmd=rate]').click()
  const dlg = page.locator('.el-dialog:has([data-command="rate"])')
  await dlg.waitFor({ state: 'visible' })
  await dlg.locator('[data-test=context-content]', { hasText: before.content.slice(0, 10) }).waitFor()
  await dlg.locator('[data-test=context-reply]').waitFor()
  assert.match(await dlg.locator('[data-test=callback-phone]').innerText(), /\*{4}/, 'the phone starts masked')
  await dlg.locator('[data-test=reveal-phone]').click()
  await dlg.locator('[data-test=callback-phone]', { hasText: /1\d{10}|0\d{9,11}/ }).waitFor()
  await dlg.locator('[data-test=callback-outcome] label', { hasText: '未接通' }).click()
  await dlg.locator('textarea').first().fill('拨打两次无人接听')
  await shot(page, 'i12-12-callback-unreached', false)
  await dlg.locator('[data-test=submit-action]').click()
  await dlg.waitFor({ state: 'hidden' })
  let a = await api(page, 'GET', `/appeals/${c}`)
  assert.equal(a.status, 'reviewed')
  assert.equal(a.callback_attempts, 1)
  const events = await api(page, 'GET', `/appeals/${c}/events`)
  assert.ok(events.items.some((e) => e.kind === 'callback_unreached'), 'the miss is an event')
  assert.ok(events.items.some((e) => e.kind === 'contact_viewed'), 'the reveal is an event')
  // A retry before the spacing is refused with the API's message.
  await row(page, c).locator('[data-cmd=rate]').click()
  await dlg.waitFor({ state: 'visible' })
  await dlg.locator('[data-test=callback-attempts]', { hasText: '已回访未接通 1 次' }).waitFor()
  await dlg.locator('[data-test=callback-outcome] label', { hasText: '未接通' }).click()
  await dlg.locator('[data-test=submit-action]').click()
  await dlg.locator('.general-error', { hasText: '之后再次回访' }).waitFor()
  a = await api(page, 'GET', `/appeals/${c}`)
  assert.equal(a.callback_attempts, 1)
  await page.keyboard.press('Escape')
  await page.context().close()
})

/** png returns a small valid PNG (w×h, one colour), for a thumbnail that really decodes. */
function png(w, h, [r, g, b]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(td) >>> 0)
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([r, g, b], y * (w * 3 + 1) + 1 + x * 3)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

test('派单 and 审核 dialogs show the full content, the reply and the files (images as thumbnails)', async () => {
  const intake = await login('intake')
  const up = await (await intake.request.fetch(base + '/api/v1/attachments?name=' + encodeURIComponent('现场照片.png'), { method: 'POST', data: png(48, 32, [200, 60, 40]) })).json()
  assert.ok(up.hash, JSON.stringify(up))
  const content = '坪山街道六和社区和平路人行道井盖破损，已有老人绊倒。附现场照片，请尽快修复，并在周边设置警示标志，防止再次有人受伤。'
  const filed = await (await intake.request.fetch(base + '/api/v1/appeals', {
    method: 'POST', headers: { 'Idempotency-Key': 'e2e-thumb-1' },
    data: { type: '求助', urgency: '一般', channel: '12345热线', content, address: '坪山区坪山街道六和社区和平路3号', contact_name: '刘女士', contact_phone: '13911110000', confidential: false, attachments: [{ hash: up.hash, name: '现场照片.png' }] },
  })).json()
  assert.ok(filed.code, JSON.stringify(filed))
  await intake.context().close()
  const page = await login('dispatcher')
  if (filed.status !== 'received') {
    // Auto-dispatched at intake: the centre recalls it to dispatch by hand.
    const back = await api(page, 'POST', `/appeals/${filed.code}/recall`, { note: '改由分拨员人工派单' })
    assert.equal(back.status, 'received', JSON.stringify(back))
  }
  await page.goto(base + '/dispatch')
  await run(page, filed.code, 'dispatch', async (dlg) => {
    await dlg.locator('[data-test=context-content]', { hasText: content }).waitFor() // the whole text, not a cut title
    const thumb = dlg.locator('[data-test=thumb]')
    await thumb.waitFor()
    await page.waitForFunction((el) => el.complete && el.naturalWidth === 48, await thumb.elementHandle())
    await shot(page, 'i12-13-dispatch-context', false)
    await pick(page, dlg.locator('[data-test=lead-unit]'), '坪山街道', '坪山街道')
  })
  // The reply dialog of review shows the unit's answer.
  await tab(page, 'replied')
  const first = page.locator('tr.el-table__row').first()
  await first.waitFor()
  await first.locator('[data-cmd=review]').click()
  const dlg = page.locator('.el-dialog:has([data-command="review"])')
  await dlg.locator('[data-test=context-reply]').waitFor()
  await shot(page, 'i12-13b-review-context', false)
  await page.keyboard.press('Escape')
  await dlg.waitFor({ state: 'hidden' })
  await page.context().close()
})

test('民心桥: the centre records the broadcast answer; the detail, the print 工单 and the public list show it', async () => {
  const page = await login('dispatcher')
  const list = await api(page, 'GET', '/appeals?channel=' + encodeURIComponent('民心桥') + '&limit=1')
  assert.ok(list.items.length, 'the demo has appeals from 民心桥')
  const a = list.items[0]
  await page.goto(base + `/appeals/${a.id}`)
  await page.locator('[data-test=edit-on-air]').click()
  const dlg = page.locator('.el-dialog', { hasText: '登记《民心桥》节目答复' })
  await dlg.waitFor({ state: 'visible' })
  // A date in the future is refused at its field.
  await dlg.locator('.el-date-editor input').fill('2999-01-01')
  await dlg.locator('.el-date-editor input').press('Enter')
  await dlg.locator('input[maxlength="60"]').fill('区城管局局长 李明')
  await dlg.locator('textarea').fill('三天内完成整改，每月巡查一次，并在节目中回访。')
  await dlg.locator('[data-test=save-on-air]').click()
  await dlg.locator('.el-form-item__error', { hasText: '播出日期不能晚于今天' }).waitFor()
  await dlg.locator('.el-date-editor input').fill(beijingToday())
  await dlg.locator('.el-date-editor input').press('Enter')
  await dlg.locator('[data-test=save-on-air]').click()
  await dlg.waitFor({ state: 'hidden' })
  await page.locator('[data-test=on-air]', { hasText: '区城管局局长 李明' }).waitFor()
  await shot(page, 'i12-14-detail-on-air')
  // The printable 工单.
  await page.locator('[data-test=print-link]').click()
  await page.locator('[data-test=print-order]').waitFor()
  assert.ok((await page.locator('[data-test=print-timeline] tbody tr').count()) > 1)
  await page.getByText('区城管局局长 李明').first().waitFor()
  await shot(page, 'i12-15-print')
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator('[data-test=print]').isVisible(), false, 'the buttons are not printed')
  await page.pdf({ path: path.join(SHOTS, 'i12-15-print.pdf'), format: 'A4' }).catch(() => {}) // headful-only in some builds
  await page.emulateMedia({ media: 'screen' })
  await page.context().close()
  // The public list, without logging in.
  const ctx = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
  const pub = await ctx.newPage()
  await pub.goto(base + '/onair')
  await pub.locator('[data-test=on-air-answer]', { hasText: '区城管局局长 李明' }).waitFor()
  await shot(pub, 'i12-16-onair-public')
  await ctx.close()
})

test('社区网格员: a community reporter sees their community\'s appeals, not 共 0 件', async () => {
  const d = await login('dispatcher')
  const stats = await api(d, 'GET', '/stats')
  const [community, n] = Object.entries(stats.by_community ?? {}).filter(([k]) => k).sort((x, y) => y[1] - x[1])[0]
  assert.ok(n > 0, 'the demo places appeals in communities')
  await d.context().close()
  const page = await login(community) // the community's party committee: reporter and handler
  await page.goto(base + '/appeals')
  await page.locator('[data-test=reporter-scope]').waitFor()
  await page.locator('tr.el-table__row').first().waitFor()
  const total = Number((await page.getByText(/共 \d+ 件/).innerText()).match(/\d+/)[0])
  assert.ok(total > 0, `reporter lists ${total}`)
  const list = await api(page, 'GET', '/appeals?limit=50')
  for (const a of list.items) assert.match(a.contact_phone, /\*/, `${a.code} masked`)
  await shot(page, 'i12-17-reporter-appeals')
  await page.context().close()
})

test('派单目录: the catalogue is edited in a form (category tree, rule rows), JSON as an option', async () => {
  const page = await login('admin')
  await page.locator('.el-tabs__item', { hasText: '派单目录' }).click()
  await page.locator('[data-test=catalogue] .el-table__row').first().waitFor()
  await page.locator('[data-test=edit-catalogue]').click()
  const form = page.locator('[data-test=catalogue-form]')
  await form.waitFor()
  const before = await api(page, 'GET', '/catalogue')
  // No rule id is a label: the rows show categories and unit names.
  assert.equal(await form.getByText(before.rules[0].id, { exact: true }).count(), 0)
  await form.locator('.el-tree-node__content', { hasText: '城乡建设' }).first().click()
  await form.locator('[data-test=add-rule]').click()
  const rd = page.locator('.el-dialog:has([data-test=rule-lead])')
  await rd.waitFor({ state: 'visible' })
  await rd.locator('input[placeholder^="出现在诉求内容中"]').fill('井盖')
  await pick(page, rd.locator('.el-form-item', { hasText: '主办单位' }), '属地街道（按事发地）')
  await shot(page, 'i12-18-catalogue-rule', false)
  await rd.locator('[data-test=rule-done]').click()
  await rd.waitFor({ state: 'hidden' })
  await form.locator('[data-test=rule-rows] .el-table__row', { hasText: '井盖' }).waitFor()
  await shot(page, 'i12-18-catalogue-form')
  await page.locator('[data-test=save-catalogue]').click()
  await page.locator('.el-message', { hasText: `已保存派单目录第 ${before.version + 1} 版` }).waitFor()
  const after = await api(page, 'GET', '/catalogue')
  assert.ok(after.rules.some((r) => r.object === '井盖' && r.lead === '@street' && r.category === '城乡建设'))
  // The JSON editor is still there.
  await page.locator('[data-test=edit-catalogue]').click()
  await page.locator('[data-test=catalogue-json]').click()
  await page.locator('textarea[aria-label="派单目录 JSON"]').waitFor()
  await page.context().close()
})

/**
 * audit measures the page in the browser: buttons cut by the window or by
 * a clipping ancestor, and the contrast of key elements (WCAG 2 relative
 * luminance, the background composited up the tree). Returns problems.
 */
async function audit(page, buttons = true) {
  return page.evaluate((buttons) => {
    const problems = []
    const W = window.innerWidth
    const visible = (el) => {
      const r = el.getBoundingClientRect()
      const s = getComputedStyle(el)
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
    }
    for (const b of buttons ? document.querySelectorAll('.el-button, button') : []) {
      if (!visible(b) || b.closest('.el-dialog, .el-drawer, .el-popper, .el-tabs__header, .el-date-picker, .el-picker-panel')) continue
      const r = b.getBoundingClientRect()
      const label = (b.innerText || b.getAttribute('aria-label') || '').trim().slice(0, 12)
      if (r.left < -1 || r.right > W + 1) problems.push(`button 「${label}」 outside the window (${Math.round(r.left)}–${Math.round(r.right)} of ${W})`)
      for (let p = b.parentElement; p && p !== document.body; p = p.parentElement) {
        const s = getComputedStyle(p)
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue
        const q = p.getBoundingClientRect()
        if (r.right > q.right + 1 || r.left < q.left - 1) {
          problems.push(`button 「${label}」 cut by ${p.className || p.tagName} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(q.left)}–${Math.round(q.right)})`)
          break
        }
      }
      if (b.scrollWidth > b.clientWidth + 2) problems.push(`button 「${label}」 text overflows (${b.scrollWidth} > ${b.clientWidth})`)
    }
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/)
      if (!m) return [0, 0, 0, 0]
      const v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number)
      return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]
    }
    const bgOf = (el) => {
      const layers = []
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor)
        if (c[3] > 0) layers.push(c)
        if (c[3] >= 1) break
      }
      let out = [255, 255, 255]
      for (const c of layers.reverse()) out = out.map((x, i) => c[i] * c[3] + x * (1 - c[3]))
      return out
    }
    const lum = ([r, g, b]) => {
      const f = (x) => ((x /= 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4)
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    }
    const ratio = (el) => {
      const bg = bgOf(el)
      const c = parse(getComputedStyle(el).color)
      const fg = [0, 1, 2].map((i) => c[i] * c[3] + bg[i] * (1 - c[3]))
      const [a, b] = [lum(fg), lum(bg)]
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
    }
    const measured = []
    for (const sel of ['.el-button--primary:not(.is-plain):not(.is-link)', '.el-button.is-link', '.el-button--primary.is-plain', '.el-tag', 'a', '.muted', '.el-menu-item', '.el-table th .cell', '.el-input__inner::placeholder']) {
      let els
      // A disabled control is exempt (WCAG 1.4.3: part of an inactive user interface component).
      try { els = [...document.querySelectorAll(sel)].filter(visible).filter((el) => !el.closest('.is-disabled, [disabled], [aria-disabled=true]')) } catch { continue }
      for (const el of els.slice(0, 5)) {
        const t = el.matches('.el-button') ? el.querySelector('span') ?? el : el
        if (!t.innerText?.trim()) continue
        const r = ratio(t)
        measured.push(r)
        if (r < 4.5) problems.push(`contrast ${r.toFixed(2)} < 4.5 for ${sel} 「${t.innerText.trim().slice(0, 10)}」`)
      }
    }
    return { problems, measured: measured.length }
  }, buttons)
}

test('布局: staff pages at 1280×720 and 390×844 — screenshots, no cut buttons, contrast ≥ 4.5, focus rings', async () => {
  const d = await login('dispatcher')
  const stats = await api(d, 'GET', '/stats')
  const community = Object.entries(stats.by_community ?? {}).filter(([k]) => k).sort((x, y) => y[1] - x[1])[0][0]
  const some = (await api(d, 'GET', '/appeals?status=handling&limit=1')).items[0]
  const lead = some.assignments.find((x) => x.role === 'lead').unit_id
  await d.context().close()
  const pages = [
    ['intake', '/intake'], ['dispatcher', '/dispatch'], ['dispatcher', `/appeals/${some.id}`], ['h-' + lead, '/handle'],
    ['supervisor', '/supervise'], ['leader', '/dashboard'], [community, '/appeals'], ['admin', '/admin'],
  ]
  const all = []
  for (const [vw, vh, tag] of [[1280, 720, 'desktop'], [390, 844, 'phone']]) {
    for (const [user, p] of pages) {
      const ctx = await newContext({ viewport: { width: vw, height: vh }, ...(tag === 'phone' ? { isMobile: true, hasTouch: true } : {}) })
      const page = await ctx.newPage()
      await page.goto(base + '/login')
      await page.locator('input[name=username]').fill(user)
      await page.locator('input[name=password]').fill(PASSWORD)
      await page.locator('[data-test=login]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
      await page.goto(base + p)
      await page.waitForLoadState('networkidle')
      await page.waitForTimeout(400)
      const name = `i12-20-${tag}-${user === community ? 'reporter' : user.startsWith('h-') ? 'handler' : user}-${p.split('/')[1]}`
      await shot(page, name, tag === 'desktop') // a phone's whole page is too tall to look at: its first screen
      // The admin pages (users, units) are reworked in another branch: their contrast is checked here, their layout there.
      const { problems, measured } = await audit(page, p !== '/admin')
      for (const x of problems) console.log(`# ${name}: ${x}`)
      assert.ok(measured > 3, `${name}: only ${measured} elements measured`)
      all.push(...problems.map((x) => `${name}: ${x}`))
      if (tag === 'phone') {
        assert.equal(await page.locator('nav.side').count(), 0, `${name}: the sidebar is collapsed`)
        if (p === '/dispatch' || p === '/handle' || p === '/appeals') await page.locator('[data-test=appeal-cards]').waitFor()
        if (p === '/dispatch') {
          await page.locator('[data-test=menu-button]').click()
          await page.locator('.el-drawer .el-menu-item', { hasText: '诉求查询' }).waitFor()
          await shot(page, `${name}-menu`, false)
          await page.locator('.el-drawer .el-menu-item', { hasText: '诉求查询' }).click()
          await page.waitForURL((u) => u.pathname === '/appeals')
        }
      }
      if (tag === 'desktop' && p === '/dispatch') {
        // A keyboard user sees where focus is.
        let ring = null
        for (let i = 0; i < 30 && !ring; i++) {
          await page.keyboard.press('Tab')
          ring = await page.evaluate(() => {
            const e = document.activeElement
            if (!e || e.tagName !== 'BUTTON') return null
            const s = getComputedStyle(e)
            return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) }
          })
        }
        assert.ok(ring && ring.style !== 'none' && ring.width >= 2, `focus ring on a button: ${JSON.stringify(ring)}`)
      }
      await ctx.close()
    }
  }
  assert.deepEqual(all, [])
})

test('导入 → 诉求查询 → 导出: history imported with a dry run first, found by the last four digits of the phone and by two words, exported as CSV', async () => {
  const page = await login('admin')
  const csv = '\uFEFF工单编号,受理时间,办结时间,诉求类型,受理渠道,诉求内容,诉求地址,联系人,联系电话,状态,主办单位,办理结果\n' +
    'E2E-1,2025-06-01 20:15:00,2025-06-04 17:00:00,投诉,12345热线,和悦路烧烤店油烟很大，夜里还有噪音,坪山区坪山街道六和社区和悦路3号,钱八,13977007711,已办结,区城市管理和综合执法局,已解决\n' +
    'E2E-2,2025-06-02 09:00:00,,求助,12345热线,路灯不亮,坪山区坪山街道六和社区和悦路5号,孙九,12345,已受理,,\n'
  await page.goto(base + '/admin')
  await page.locator('.el-tabs__item', { hasText: '导入历史诉求' }).click()
  await page.locator('[data-test=import-file]').setInputFiles({ name: '旧平台导出.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.locator('[data-test=import-dry]').click()
  await page.locator('[data-test=import-errors] tr', { hasText: '联系电话' }).waitFor()
  await shot(page, '24-import-dry-run')
  await page.locator('[data-test=import-run]').click()
  await page.locator('[data-test=import-message]', { hasText: /导入|已/ }).waitFor()
  await page.waitForLoadState('networkidle')

  await page.goto(base + '/appeals')
  await page.locator('[data-test=search-phone]').fill('7711')
  await page.locator('[data-test=search-phone]').press('Enter')
  const imported = page.locator('tr.el-table__row', { hasText: '和悦路烧烤店' })
  await imported.waitFor()
  const code = await imported.locator('[data-code]').getAttribute('data-code')
  await page.locator('[data-test=search-phone]').fill('')
  await page.locator('[data-test=search-q]').fill('油烟 噪音')
  await page.locator('[data-test=search-q]').press('Enter')
  await page.locator('tr.el-table__row', { has: page.locator(`[data-code="${code}"]`) }).waitFor()
  await shot(page, '25-search-words')

  await page.locator('button[aria-label=导出当前列表]').click()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.el-dropdown-menu__item', { hasText: 'CSV' }).click(),
  ])
  assert.match(download.suggestedFilename(), /\.csv$/)
  const file = await readFile(await download.path(), 'utf8')
  assert.ok(file.includes(code), 'the export has the imported appeal')
  assert.ok(!file.includes('13977007711'), 'the export masks the phone')
  await page.context().close()
})

test('no uncaught errors in any page; bundle sizes', async () => {
  let largest = { name: '', raw: 0, gzip: 0 }
  for (const [p, s] of assets) if (p.endsWith('.js') && s.raw > largest.raw) largest = { name: p, ...s }
  const js = [...assets].filter(([p]) => p.endsWith('.js'))
  bench.push(`BENCH largest_js_chunk=${path.basename(largest.name)} raw_bytes=${largest.raw} gzip_bytes=${largest.gzip}`)
  bench.push(`BENCH js_files_loaded=${js.length} js_raw_bytes=${js.reduce((n, [, s]) => n + s.raw, 0)} js_gzip_bytes=${js.reduce((n, [, s]) => n + s.gzip, 0)}`)
  assert.deepEqual(pageErrors, [])
})

process.on('exit', (codeOut) => {
  if (codeOut !== 0 && serverLog.length) {
    console.error('--- last lines of the huying log ---')
    console.error(serverLog.slice(-40).join('\n'))
  }
})
