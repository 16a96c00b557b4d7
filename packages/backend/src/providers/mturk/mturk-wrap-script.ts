// The page's half of MTurk (Mephisto's mturk/wrap_crowd_source.js, reworked).
// MTurk opens an ExternalQuestion page with `assignmentId`, `hitId`,
// `workerId` and `turkSubmitTo` in the query string; while a worker only
// previews the HIT, `assignmentId` is `ASSIGNMENT_ID_NOT_AVAILABLE` and no
// workerId is given. The page hands in by POSTing a form to
// `<turkSubmitTo>/mturk/externalSubmit` with `assignmentId` and at least one
// other field; the client calls handleSubmitToProvider only once Faust's
// backend has stored the submission, so the HIT is never handed in with the
// data lost. The worker id goes up raw: the server appends `_sandbox` to the
// stored worker name for the sandbox (mturkWorkerName), as Mephisto does.

const PREVIEW_ASSIGNMENT_ID = 'ASSIGNMENT_ID_NOT_AVAILABLE'

/** The wrap script for MTurk (production or sandbox, told by `providerType`). */
export function mturkWrapScript(providerType: string): string {
  return `// Faust MTurk provider: ids from MTurk's ExternalQuestion URL parameters.
(function () {
  var params = new URLSearchParams(window.location.search);
  var PREVIEW = ${JSON.stringify(PREVIEW_ASSIGNMENT_ID)};
  function param(name) {
    var value = params.get(name);
    return value === null || value === '' ? null : value;
  }
  function assignmentId() {
    var id = param('assignmentId');
    return id === PREVIEW ? null : id;
  }
  function notice(id, text, color) {
    var el = document.createElement('div');
    el.setAttribute('role', 'status');
    el.id = id;
    el.textContent = text;
    el.style.cssText = 'position:fixed;left:0;right:0;bottom:0;padding:1em;background:' + color + ';color:#fff;font:16px sans-serif;text-align:center';
    document.body.appendChild(el);
  }
  window.getWorkerName = function () { return assignmentId() === null ? null : param('workerId'); };
  window.getAssignmentId = assignmentId;
  window.getAgentRegistration = function () {
    return {
      worker_name: param('workerId'),
      agent_registration_id: assignmentId(),
      assignment_id: assignmentId(),
      hit_id: param('hitId'),
      provider_type: ${JSON.stringify(providerType)},
    };
  };
  window.handleSubmitToProvider = function () {
    var base = param('turkSubmitTo');
    var id = assignmentId();
    if (base === null || id === null || !/^https?:\\/\\//.test(base)) {
      notice('faust-submit-failed', 'Your work is saved, but this page was not opened from Mechanical Turk, so it cannot be handed in there.', '#b71c1c');
      return false;
    }
    var form = document.createElement('form');
    form.method = 'POST';
    form.action = base.replace(/\\/+$/, '') + '/mturk/externalSubmit';
    var fields = { assignmentId: id, faust: 'submitted' };
    for (var name in fields) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
    return true;
  };
  if (param('assignmentId') === PREVIEW) {
    var showPreview = function () {
      notice('faust-preview', 'This is a preview. Accept the HIT to start the task.', '#0d47a1');
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', showPreview);
    else showPreview();
  }
})();
`
}
