// A page that speaks the REST calls itself: shows what the router and the
// backend answer to a registration.
const app = document.getElementById('app')
const show = (title, value) => {
  app.innerHTML = ''
  const heading = document.createElement('h1')
  heading.textContent = title
  const body = document.createElement('pre')
  body.textContent = JSON.stringify(value, null, 2)
  app.append(heading, body)
}
async function start() {
  const config = await (await fetch('task_config.json?mephisto_task_version=2.0.4')).json()
  if (window.getWorkerName() === null || window.getAssignmentId() === null) {
    show(`${config.task_title} (preview)`, config)
    return
  }
  const response = await fetch('request_agent', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      provider_data: window.getAgentRegistration(),
      client_timestamp: Date.now() / 1000,
    }),
  })
  show(`${config.task_title}: HTTP ${response.status}`, await response.json())
}
start().catch((error) => show('Error', String(error)))
