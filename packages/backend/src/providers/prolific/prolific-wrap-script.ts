// The page's half of the Prolific provider (Mephisto's wrap_crowd_source.js).
// Prolific opens the study URL with PROLIFIC_PID, STUDY_ID and SESSION_ID
// filled in (https://docs.prolific.com/api-reference/studies/the-study-object,
// `external_study_url`); once the submission is stored the worker is sent to
// the completion URL with the study's code (`?cc=<code>`,
// https://docs.prolific.com/documentation/core-concepts/reviewing-submissions-and-rewards).

/** Prolific's own completion page; the fake's stands in for it in tests. */
export const PROLIFIC_COMPLETION_URL = 'https://app.prolific.com/submissions/complete'

/** A value embedded in a script: JSON, with `<` escaped so `</script>` cannot end it. */
function scriptLiteral(value: string): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

/** The page's `wrap_crowd_source.js` for a Prolific study with this completion code. */
export function prolificWrapScript(
  completionCode: string,
  completionUrl = PROLIFIC_COMPLETION_URL,
): string {
  return `// Faust Prolific provider: ids come from the URL Prolific opened.
(function () {
  var params = new URLSearchParams(window.location.search);
  var pid = params.get('PROLIFIC_PID');
  var studyId = params.get('STUDY_ID');
  var sessionId = params.get('SESSION_ID');
  var completionUrl = ${scriptLiteral(completionUrl)};
  var completionCode = ${scriptLiteral(completionCode)};
  window.getWorkerName = function () { return pid; };
  window.getAssignmentId = function () { return sessionId; };
  window.getAgentRegistration = function () {
    return {
      worker_name: pid,
      agent_registration_id: sessionId,
      assignment_id: sessionId,
      study_id: studyId,
      prolific_study_id: studyId,
      provider_type: 'prolific',
    };
  };
  window.getProviderURLParams = function () {
    return { PROLIFIC_PID: pid, STUDY_ID: studyId, SESSION_ID: sessionId };
  };
  // Called only after the submission was stored (stored acks): back to Prolific with the code.
  window.handleSubmitToProvider = function () {
    var separator = completionUrl.indexOf('?') < 0 ? '?' : '&';
    window.location.replace(completionUrl + separator + 'cc=' + encodeURIComponent(completionCode));
    return true;
  };
  if (!pid || !sessionId) {
    var warn = function () {
      var notice = document.createElement('div');
      notice.setAttribute('role', 'alert');
      notice.id = 'faust-provider-missing';
      notice.textContent = 'This study must be opened from Prolific: the link lacks your Prolific ID.';
      notice.style.cssText = 'position:fixed;left:0;right:0;top:0;padding:1em;background:#b71c1c;color:#fff;font:16px sans-serif;text-align:center';
      document.body.appendChild(notice);
    };
    if (document.body) warn();
    else document.addEventListener('DOMContentLoaded', warn);
  }
})();
`
}
