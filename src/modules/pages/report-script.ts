/**
 * The report page's only script (served from /status/report.js: the CSP allows scripts from our
 * own origin only). It solves the ALTCHA challenge, SHA-256(salt + n) = challenge, with
 * crypto.subtle, then posts the form to the JSON API. No widget, no framework.
 */
export const REPORT_SCRIPT = `(function () {
  var form = document.getElementById('report');
  if (!form) return;
  var day = form.elements.visitedOn;
  if (!day.value) { var d = new Date(); day.value = new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10); }
  var hex = function (buf) { return Array.from(new Uint8Array(buf), function (b) { return b.toString(16).padStart(2, '0'); }).join(''); };
  async function solve(c) {
    var enc = new TextEncoder();
    for (var n = 0; n <= c.maxnumber; n++) {
      if (hex(await crypto.subtle.digest('SHA-256', enc.encode(c.salt + n))) === c.challenge) return n;
    }
    throw new Error('unsolved');
  }
  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    var status = document.getElementById('report-status'), button = form.querySelector('button');
    button.disabled = true; status.className = 'notice warn'; status.textContent = form.dataset.working;
    try {
      var c = await (await fetch('/api/v1/public/challenge')).json();
      var number = await solve(c);
      var body = { kind: form.elements.kind.value, visitedOn: day.value, altcha: btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: number, salt: c.salt, signature: c.signature })) };
      if (form.elements.agency.value) body.agency = form.elements.agency.value;
      if (form.elements.note.value) body.note = form.elements.note.value;
      var res = await fetch(form.action, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status === 202) { location.href = form.dataset.thanks; return; }
      status.className = 'notice bad'; status.textContent = res.status === 429 ? form.dataset.limited : form.dataset.failed;
    } catch (err) { status.className = 'notice bad'; status.textContent = form.dataset.failed; }
    button.disabled = false;
  });
})();
`;
