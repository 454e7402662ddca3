// The console's live updates (GET /api/v1/stream, Server-Sent Events): one
// connection per tab while a staff user is logged in. A "notice" adds to the
// bell and pops up; a "changed" tells open lists to reload (onLiveChange).
// EventSource reconnects by itself (the server asks for 3 s); the bell's
// count is set afresh by every connection's "hello".
import { onMounted, onUnmounted, reactive } from 'vue'
import { ElNotification } from 'element-plus'
import type { InboxItem } from '../api/types'

export const live = reactive({
  connected: false,
  unread: 0,
  /** the notices that arrived since the page loaded, newest first */
  arrived: [] as InboxItem[],
})

let source: EventSource | null = null
const CHANGED = 'huying:changed'

/** startLive opens the stream (once); onOpen is called for a notice clicked in its pop-up. */
export function startLive(onOpen: (item: InboxItem) => void): void {
  if (source || typeof EventSource === 'undefined') return
  source = new EventSource('/api/v1/stream')
  source.onopen = () => (live.connected = true)
  source.onerror = () => (live.connected = false)
  source.addEventListener('hello', (e) => {
    live.unread = (JSON.parse((e as MessageEvent).data) as { unread: number }).unread
  })
  source.addEventListener('notice', (e) => {
    const item = JSON.parse((e as MessageEvent).data) as InboxItem
    live.arrived.unshift(item)
    live.arrived.splice(50)
    live.unread++
    const n = ElNotification({
      title: item.kind, message: item.text, type: 'info', duration: 8000, position: 'bottom-right',
      onClick: () => {
        n.close()
        onOpen(item)
      },
    })
  })
  source.addEventListener('changed', () => window.dispatchEvent(new Event(CHANGED)))
}

/** stopLive closes the stream (logout). */
export function stopLive(): void {
  source?.close()
  source = null
  live.connected = false
  live.unread = 0
  live.arrived = []
}

/**
 * onLiveChange calls reload when something changed on the server — half a
 * second after the first change, and once more after any that came while it
 * waited — while the component is mounted.
 */
export function onLiveChange(reload: () => unknown): void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let again = false
  const fire = () => {
    timer = undefined
    void reload()
    if (again) {
      again = false
      timer = setTimeout(fire, 500)
    }
  }
  const handler = () => {
    if (timer) {
      again = true
      return
    }
    timer = setTimeout(fire, 500)
  }
  onMounted(() => window.addEventListener(CHANGED, handler))
  onUnmounted(() => {
    window.removeEventListener(CHANGED, handler)
    clearTimeout(timer)
  })
}
