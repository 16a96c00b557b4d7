// The mock provider's globals (Mephisto's contract): ids come from the URL,
// e.g. /?worker_id=w1&assignment_id=a1
const params = new URLSearchParams(window.location.search)
window.getWorkerName = () => params.get('worker_id')
window.getAssignmentId = () => params.get('assignment_id')
window.getAgentRegistration = () => ({
  worker_name: params.get('worker_id'),
  agent_registration_id: `${params.get('assignment_id')}-${params.get('worker_id')}`,
  assignment_id: params.get('assignment_id'),
  provider_type: 'mock',
})
window.handleSubmitToProvider = () => true
