// Progress of a running import on /importaciones/<id>: polls the upload's status every half second
// and updates the <progress> bar; when the import ends it opens the upload's page, which then shows
// the result. Without JavaScript the page's "Actualizar" link does the same by hand.
(function () {
  'use strict';
  var section = document.getElementById('import-progress');
  if (!section) return;
  var url = section.getAttribute('data-status-url');
  var bar = document.getElementById('import-progress-bar');
  var phase = section.querySelector('[data-phase]');
  var refresh = section.querySelector('a[data-refresh]');
  var INTERVAL_MS = 500;

  function show(status) {
    // Rows are counted while validating and saving; reading a file has no measurable progress.
    if (status.total > 0 && (status.phase === 'validating' || status.phase === 'saving')) {
      bar.max = status.total;
      bar.value = Math.min(status.done, status.total);
      bar.textContent = Math.round((100 * status.done) / status.total) + ' %';
    } else {
      bar.removeAttribute('value');
      bar.textContent = '';
    }
    if (phase.textContent !== status.label) phase.textContent = status.label;
  }

  function poll() {
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (status) {
        if (status.status !== 'committing') {
          // The upload's own page (this document may be the answer to the confirmation POST).
          window.location.assign(refresh ? refresh.href : window.location.href);
          return;
        }
        show(status);
        setTimeout(poll, INTERVAL_MS);
      })
      .catch(function () {
        // A lost connection or an expired session: keep trying; "Actualizar" still works.
        setTimeout(poll, INTERVAL_MS * 4);
      });
  }

  setTimeout(poll, INTERVAL_MS);
})();
