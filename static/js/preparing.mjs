// The "preparing your report" page: checks back every few seconds and, once the document is
// made, says so and downloads it. Without JavaScript the page's own button checks again.
const CHECK_EVERY_MS = 3000
const GIVE_UP_AFTER_MS = 10 * 60 * 1000

const root = document.querySelector('[data-module="app-preparing"]')
if (root) {
  const status = root.querySelector('.app-preparing__status')
  const button = root.querySelector('.govuk-button')
  const started = Date.now()

  const check = async () => {
    let state
    try {
      const response = await fetch(root.dataset.statusUrl, { headers: { Accept: 'application/json' } })
      if (response.redirected || !(response.headers.get('Content-Type') || '').includes('json')) {
        // Signed out (the session ended): checking again would only find the sign-in page.
        status.textContent = 'You have been signed out. Sign in again to download your document.'
        return
      }
      state = response.ok ? await response.json() : null
    } catch {
      state = null
    }
    if (state && state.ready) {
      status.textContent = 'Your document is ready. It is downloading now.'
      button.textContent = 'Download it again'
      window.location.assign(root.dataset.downloadUrl)
      return
    }
    if (state && state.failed) {
      status.textContent = 'It could not be made. The problem has been recorded; it will be tried again in a few minutes.'
    } else if (state && state.overdue) {
      status.textContent = 'This is taking longer than usual. Your answers are safe; this page keeps checking.'
    }
    if (Date.now() - started < GIVE_UP_AFTER_MS) {
      window.setTimeout(check, CHECK_EVERY_MS)
    } else {
      status.textContent = 'It is still not ready. Try again later, or contact the service team.'
    }
  }
  window.setTimeout(check, CHECK_EVERY_MS)
}
