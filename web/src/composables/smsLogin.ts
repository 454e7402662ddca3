// useSmsLogin is the residents' SMS verification (POST /resident/code, then
// POST /resident/login, which sets a resident session), shared by the
// filing page and 我的诉求: phone and code checked before sending, a
// 60-second resend wait, and the API's errors shown at their fields.
import { onUnmounted, reactive, ref } from 'vue'
import { api } from '../api/client'
import { useFormErrors } from './formErrors'

export function useSmsLogin(onVerified: (phone: string) => void | Promise<void>) {
  const verify = reactive({ phone: '', code: '' })
  const vf = useFormErrors(['phone', 'code'], {}, verify)
  const sent = ref('')
  const wait = ref(0)
  const busy = ref(false)
  let timer: ReturnType<typeof setInterval> | undefined
  onUnmounted(() => clearInterval(timer))

  async function sendCode(): Promise<void> {
    vf.clear()
    if (!/^1[3-9]\d{9}$/.test(verify.phone.trim())) {
      vf.errors.phone = '请输入 11 位手机号'
      return
    }
    busy.value = true
    try {
      sent.value = (await api.residentCode(verify.phone.trim())).message
      wait.value = 60
      clearInterval(timer)
      timer = setInterval(() => {
        wait.value--
        if (wait.value <= 0) clearInterval(timer)
      }, 1000)
    } catch (e) {
      vf.apply(e)
    } finally {
      busy.value = false
    }
  }

  async function login(): Promise<void> {
    vf.clear()
    if (!/^\d{6}$/.test(verify.code.trim())) {
      vf.errors.code = '请输入短信中的 6 位验证码'
      return
    }
    busy.value = true
    try {
      await api.residentLogin(verify.phone.trim(), verify.code.trim())
      await onVerified(verify.phone.trim())
    } catch (e) {
      vf.apply(e)
    } finally {
      busy.value = false
    }
  }

  return { verify, vf, sent, wait, busy, sendCode, login }
}
