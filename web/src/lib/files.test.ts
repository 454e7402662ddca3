import { describe, expect, it } from 'vitest'
import type { Attachment } from '../api/types'
import { fileRows, fileSize } from './files'

describe('files', () => {
  it('lists intake files first, then added ones named by their source', () => {
    const f = (name: string, added_by?: Attachment['added_by']): Attachment => ({ hash: name.repeat(64).slice(0, 64), name, size: 10, content_type: 'image/jpeg', added_by })
    const rows = fileRows([f('a')], [f('b', 'reply'), f('c', 'supplement'), f('d', '')])
    expect(rows.map((r) => r.source)).toEqual(['受理附件', '答复附件', '补充材料', '后补附件'])
    expect(fileRows(null, undefined)).toEqual([])
  })
  it('gives sizes in B, KB and MB', () => {
    expect(fileSize(512)).toBe('512 B')
    expect(fileSize(2048)).toBe('2.0 KB')
    expect(fileSize(3 * 1024 * 1024)).toBe('3.0 MB')
  })
})
