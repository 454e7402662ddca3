// Data in and out: the export of a list as a file (GET /appeals/export)
// and the import of history (POST /imports/appeals), whose answer streams
// progress as NDJSON. Both bypass request(): one answers a file, the other
// a stream, and errors before either still come as the API's JSON.
import { ApiError } from './client'
import type { ImportReport } from './types'

const BASE = '/api/v1'

export type ExportFormat = 'xlsx' | 'csv'

/** exportQuery is the query of an export: the list's filters and the format. */
export function exportQuery(filters: Record<string, string | number | undefined>, format: ExportFormat): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(filters)) {
    if (k === 'limit' || k === 'offset') continue
    if (v !== undefined && v !== '') p.set(k, String(v))
  }
  p.set('format', format)
  return p.toString()
}

/** fileName reads the download's name from Content-Disposition (filename* first). */
export function fileName(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="([^"]+)"/i.exec(disposition ?? '')
  return plain ? plain[1] : fallback
}

async function apiError(res: Response): Promise<ApiError> {
  let e: { code?: string; message?: string; field?: string } = {}
  try {
    e = await res.json()
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, e.code ?? 'EINTERNAL', e.message ?? `服务器错误（HTTP ${res.status}），请稍后重试`, e.field)
}

/**
 * downloadExport fetches an export (the appeal list by default, or another
 * list's /…/export path) and saves it.
 */
export async function downloadExport(filters: Record<string, string | number | undefined>, format: ExportFormat,
  path = '/appeals/export'): Promise<void> {
  let res: Response
  try {
    res = await fetch(`${BASE}${path}?${exportQuery(filters, format)}`, { credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'ENETWORK', '无法连接服务器，请检查网络后重试')
  }
  if (!res.ok) throw await apiError(res)
  const blob = await res.blob()
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName(res.headers.get('Content-Disposition'), `export.${format}`)
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** ImportMapping is the column mapping sent with an import. */
export interface ImportMapping {
  source?: string
  columns?: Record<string, string>
  statuses?: Record<string, string>
  defaults?: Record<string, string>
}

/**
 * readLines splits an NDJSON stream into objects as they arrive, so that
 * progress shows while the import runs.
 */
export async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: Record<string, unknown>) => void): Promise<void> {
  const reader = body.getReader()
  const dec = new TextDecoder()
  let buf = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (value) buf += dec.decode(value, { stream: !done })
    let nl: number
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim()
      buf = buf.slice(nl + 1)
      if (line) onLine(JSON.parse(line) as Record<string, unknown>)
    }
    if (done) break
  }
  if (buf.trim()) onLine(JSON.parse(buf) as Record<string, unknown>)
}

/** importAppeals uploads a file of history; onProgress sees each batch. */
export async function importAppeals(file: File, mapping: ImportMapping, dryRun: boolean,
  onProgress: (done: number, total: number) => void): Promise<ImportReport> {
  const form = new FormData()
  form.append('file', file)
  form.append('mapping', JSON.stringify(mapping))
  let res: Response
  try {
    res = await fetch(`${BASE}/imports/appeals${dryRun ? '?dry_run=true' : ''}`, { method: 'POST', body: form, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'ENETWORK', '无法连接服务器，请检查网络后重试')
  }
  if (!res.ok || !res.body) throw await apiError(res)
  let report: ImportReport | undefined
  let failure: ApiError | undefined
  await readLines(res.body, (line) => {
    if (typeof line.done === 'number' && typeof line.total === 'number') onProgress(line.done, line.total)
    if (line.report) report = line.report as ImportReport
    if (line.error) {
      const e = line.error as { code?: string; message?: string }
      failure = new ApiError(500, e.code ?? 'EINTERNAL', e.message ?? '导入中途出错')
    }
  })
  if (failure) throw failure
  if (!report) throw new ApiError(500, 'EINTERNAL', '导入没有返回结果，请查看服务器日志')
  return report
}
