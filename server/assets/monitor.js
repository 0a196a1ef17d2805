// Refreshes the cycle monitor's live part without reloading the page. Skipped while the user is
// filling a form in it (an open <details> or focus inside), so nothing typed is lost.
(function () {
  var region = document.getElementById('monitor');
  if (!region || !window.fetch) return;
  var url = region.getAttribute('data-refresh');
  function busy() {
    return region.contains(document.activeElement) || region.querySelector('details[open]') !== null;
  }
  // Live regions announce only what changed: the new markup is merged into the page node by node, so
  // an unchanged status line or alert stays as it is (neither re-inserted nor re-announced).
  function merge(current, next) {
    if (current.nodeType !== next.nodeType || current.nodeName !== next.nodeName) return void current.parentNode.replaceChild(next, current);
    if (current.nodeType !== 1) {
      if (current.nodeValue !== next.nodeValue) current.nodeValue = next.nodeValue;
      return;
    }
    if (current.isEqualNode(next)) return;
    for (var i = current.attributes.length - 1; i >= 0; i--) if (!next.hasAttribute(current.attributes[i].name)) current.removeAttribute(current.attributes[i].name);
    for (var j = 0; j < next.attributes.length; j++) if (current.getAttribute(next.attributes[j].name) !== next.attributes[j].value) current.setAttribute(next.attributes[j].name, next.attributes[j].value);
    mergeChildren(current, next);
  }
  function mergeChildren(current, next) {
    var olds = Array.prototype.slice.call(current.childNodes);
    var news = Array.prototype.slice.call(next.childNodes);
    for (var k = 0; k < news.length; k++) {
      if (k < olds.length) merge(olds[k], news[k]);
      else current.appendChild(news[k]);
    }
    for (var m = news.length; m < olds.length; m++) current.removeChild(olds[m]);
  }
  function refresh() {
    if (document.hidden || busy()) return;
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null || busy()) return;
        var next = document.createElement('div');
        next.innerHTML = html;
        mergeChildren(region, next);
      })
      .catch(function () {
        /* the next tick tries again */
      });
  }
  setInterval(refresh, 5000);
})();
