import { onUnmounted, ref } from 'vue'

/** useNow is the current time, refreshed every 30 s, for deadline colours. */
export function useNow(periodMs = 30_000) {
  const now = ref(new Date())
  const t = setInterval(() => (now.value = new Date()), periodMs)
  onUnmounted(() => clearInterval(t))
  return now
}
