// Attachments as the appeal page lists them: the intake's files, then the
// ones supplements (补充材料) and replies (答复附件) added, with a readable size.
import type { Attachment } from '../api/types'

export interface FileRow extends Attachment {
  source: string
}

const SOURCES: Record<string, string> = { supplement: '补充材料', reply: '答复附件' }

export function fileRows(intake: Attachment[] | null, added: Attachment[] | null | undefined): FileRow[] {
  return [
    ...(intake ?? []).map((f) => ({ ...f, source: '受理附件' })),
    ...(added ?? []).map((f) => ({ ...f, source: SOURCES[f.added_by ?? ''] ?? '后补附件' })),
  ]
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Image types a browser shows inline as a thumbnail. */
const IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp']

/** isImage reports whether a file is shown as a thumbnail (by its type, or its name when the type is missing). */
export function isImage(f: Pick<Attachment, 'content_type' | 'name'>): boolean {
  if (f.content_type) return IMAGES.includes(f.content_type.toLowerCase())
  return /\.(png|jpe?g|gif|webp)$/i.test(f.name ?? '')
}
