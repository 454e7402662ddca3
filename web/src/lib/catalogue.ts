// The dispatch catalogue (派单目录) as the form edits it: the category tree
// built from the rules' category paths, the rules under a category, a new
// rule's id (an id is data the API keys rules by, never a label), and the
// checks made before the API's own.
import type { CatalogueRule } from '../api/types'

export interface CategoryNode {
  /** the full path, e.g. 城乡建设/城乡规划 */
  path: string
  label: string
  /** rules whose category is this path or under it */
  count: number
  children: CategoryNode[]
}

/** categoryTree nests the rules' category paths (split at /), in first-seen order. */
export function categoryTree(rules: Pick<CatalogueRule, 'category'>[]): CategoryNode[] {
  const root: CategoryNode[] = []
  const byPath = new Map<string, CategoryNode>()
  for (const r of rules) {
    const parts = r.category.split('/').map((p) => p.trim()).filter(Boolean)
    let level = root
    let path = ''
    for (const part of parts) {
      path = path ? `${path}/${part}` : part
      let node = byPath.get(path)
      if (!node) {
        node = { path, label: part, count: 0, children: [] }
        byPath.set(path, node)
        level.push(node)
      }
      node.count++
      level = node.children
    }
  }
  return root
}

/** under reports whether category is path or below it. */
export function under(category: string, path: string): boolean {
  return !path || category === path || category.startsWith(path + '/')
}

/** newRuleId returns an id rule-N not among taken. */
export function newRuleId(taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let n = used.size + 1; ; n++) {
    const id = `rule-${n}`
    if (!used.has(id)) return id
  }
}

/** checkRules returns the first problem of the rules in Chinese, or '' — the API checks again. */
export function checkRules(rules: CatalogueRule[]): string {
  if (!rules.length) return '目录须包含至少一条规则'
  const ids = new Set<string>()
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]
    const n = `第 ${i + 1} 条规则`
    if (!r.category.trim()) return `${n}：请填写分类`
    if (!r.lead) return `${n}（${r.category}）：请选择主办单位`
    if ((r.assists ?? []).includes(r.lead)) return `${n}（${r.category}）：协办单位不能与主办单位相同`
    if (r.priority !== undefined && (!Number.isInteger(r.priority) || r.priority < 0)) return `${n}（${r.category}）：优先级须为非负整数`
    if (ids.has(r.id)) return `${n}（${r.category}）：规则编号重复`
    ids.add(r.id)
  }
  return ''
}

/** cleanRule drops empty optional fields, so that the saved JSON is what one would write by hand. */
export function cleanRule(r: CatalogueRule): CatalogueRule {
  const out: CatalogueRule = { id: r.id, category: r.category.trim(), lead: r.lead }
  if (r.place?.trim()) out.place = r.place.trim()
  if (r.object?.trim()) out.object = r.object.trim()
  if (r.assists?.length) out.assists = [...r.assists]
  if (r.urgency) out.urgency = r.urgency
  if (r.legal_basis?.trim()) out.legal_basis = r.legal_basis.trim()
  if (r.priority) out.priority = r.priority
  if (r.community_duty) out.community_duty = true
  return out
}
