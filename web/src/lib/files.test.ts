import { describe, expect, it } from 'vitest'
import type { Attachment } from '../api/types'
import { fileRows, fileSize, isImage } from './files'

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
  it('shows raster images as thumbnails, nothing else', () => {
    expect(isImage({ content_type: 'image/png', name: 'a.png' })).toBe(true)
    expect(isImage({ content_type: 'IMAGE/JPEG', name: 'a' })).toBe(true)
    expect(isImage({ content_type: 'image/svg+xml', name: 'a.svg' })).toBe(false)
    expect(isImage({ content_type: 'application/pdf', name: 'a.png' })).toBe(false)
    expect(isImage({ content_type: '', name: '现场.JPG' })).toBe(true)
  })
})
