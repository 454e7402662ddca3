import { describe, expect, it } from 'vitest'
import type { CatalogueRule } from '../api/types'
import { categoryTree, checkRules, cleanRule, newRuleId, under } from './catalogue'

const r = (id: string, category: string, lead = 'chengguan', more: Partial<CatalogueRule> = {}): CatalogueRule => ({ id, category, lead, ...more })

describe('catalogue', () => {
  it('nests category paths and counts the rules below each node', () => {
    const tree = categoryTree([r('a', '城乡建设'), r('b', '城乡建设/城乡规划'), r('c', '城乡建设/城乡规划/违章建筑'), r('d', '教育文体')])
    expect(tree.map((n) => [n.label, n.count])).toEqual([['城乡建设', 3], ['教育文体', 1]])
    expect(tree[0].children[0].path).toBe('城乡建设/城乡规划')
    expect(tree[0].children[0].children[0].label).toBe('违章建筑')
  })
  it('filters by a node and everything under it', () => {
    expect(under('城乡建设/城乡规划', '城乡建设')).toBe(true)
    expect(under('城乡建设规划', '城乡建设')).toBe(false)
    expect(under('教育文体', '')).toBe(true)
  })
  it('gives a new rule an unused id', () => {
    expect(newRuleId(['rule-2', 'x'])).toBe('rule-3')
    expect(newRuleId(['rule-1'])).toBe('rule-2')
  })
  it('names the first bad rule in Chinese', () => {
    expect(checkRules([])).toContain('至少一条')
    expect(checkRules([r('a', ' ')])).toContain('第 1 条规则：请填写分类')
    expect(checkRules([r('a', '城乡建设', '')])).toContain('请选择主办单位')
    expect(checkRules([r('a', '城乡建设', 'x', { assists: ['x'] })])).toContain('协办单位不能与主办单位相同')
    expect(checkRules([r('a', '城乡建设'), r('a', '教育文体')])).toContain('第 2 条规则（教育文体）：规则编号重复')
    expect(checkRules([r('a', '城乡建设', 'x', { priority: 1 })])).toBe('')
  })
  it('drops empty optional fields', () => {
    expect(cleanRule(r('a', ' 城乡建设 ', 'x', { object: ' ', assists: [], community_duty: false, legal_basis: '依据' }))).toEqual(
      { id: 'a', category: '城乡建设', lead: 'x', legal_basis: '依据' })
  })
})
