import { onBeforeUnmount, ref, type Ref } from 'vue'

/** NARROW is the width under which staff pages switch to the phone layout. */
export const NARROW = '(max-width: 767px)'

/** useMedia follows a media query (false where matchMedia is missing, as in tests). */
export function useMedia(query: string = NARROW): Ref<boolean> {
  const mq = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  const on = ref(mq?.matches ?? false)
  const change = (e: MediaQueryListEvent) => (on.value = e.matches)
  mq?.addEventListener('change', change)
  onBeforeUnmount(() => mq?.removeEventListener('change', change))
  return on
}
