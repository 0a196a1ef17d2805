// Refreshes the cycle monitor's live part without reloading the page. Skipped while the user is
// filling a form in it (an open <details> or focus inside), so nothing typed is lost.
(function () {
  var region = document.getElementById('monitor');
  if (!region || !window.fetch) return;
  var url = region.getAttribute('data-refresh');
  function busy() {
    return region.contains(document.activeElement) || region.querySelector('details[open]') !== null;
  }
  function refresh() {
    if (document.hidden || busy()) return;
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && !busy()) region.innerHTML = html;
      })
      .catch(function () {
        /* the next tick tries again */
      });
  }
  setInterval(refresh, 5000);
})();
