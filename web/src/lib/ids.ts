/** newKey returns a random Idempotency-Key (crypto.randomUUID needs a secure context, so fall back). */
export function newKey(): string {
  const c = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = new Uint8Array(16)
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * readBack splits a tracking code into groups an agent reads aloud on the
 * phone: "PS20261129000001" → "PS 2026 1129 000001".
 */
export function readBack(code: string): string {
  const m = /^([A-Z]+)(\d{4})(\d{4})(\d+)$/.exec(code)
  return m ? `${m[1]} ${m[2]} ${m[3]} ${m[4]}` : code
}
