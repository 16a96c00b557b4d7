import type { CrowdProvider } from './crowd-provider.js'

// The page side of the mock provider: ids come from the page URL
// (`/?worker_id=w1&assignment_id=a1`), as with Mephisto's mock provider. A
// submission shows a notice instead of Mephisto's blocking alert().
const WRAP_CROWD_SOURCE = `// Faust mock provider: worker and assignment ids come from the page URL.
(function () {
  var params = new URLSearchParams(window.location.search);
  window.getWorkerName = function () { return params.get('worker_id'); };
  window.getAssignmentId = function () { return params.get('assignment_id'); };
  window.getAgentRegistration = function () {
    return {
      worker_name: params.get('worker_id'),
      agent_registration_id: params.get('assignment_id') + '-' + params.get('worker_id'),
      assignment_id: params.get('assignment_id'),
      provider_type: 'mock',
    };
  };
  window.handleSubmitToProvider = function () {
    var notice = document.createElement('div');
    notice.setAttribute('role', 'status');
    notice.id = 'faust-submitted';
    notice.textContent = 'The task has been submitted. Thank you!';
    notice.style.cssText = 'position:fixed;left:0;right:0;bottom:0;padding:1em;background:#1b5e20;color:#fff;font:16px sans-serif;text-align:center';
    document.body.appendChild(notice);
    return true;
  };
})();
`

/** The provider for local work and tests: nothing is paid, nobody is contacted. */
export const mockProvider: CrowdProvider = {
  type: 'mock',
  wrapCrowdSourceScript: WRAP_CROWD_SOURCE,
  workerName: (providerData) => `${providerData.worker_name}_sandbox`,
}
