// Each machine diagram opens scrolled (inside its own box, the page stays where it is) so that the
// highlighted current state is in view, centred when the box is smaller than the diagram.
'use strict';
(function () {
  function centre(region) {
    var node = region.querySelector('.current-state');
    if (!node) return;
    var box = region.getBoundingClientRect();
    var target = node.getBoundingClientRect();
    region.scrollLeft += target.left - box.left - (box.width - target.width) / 2;
    region.scrollTop += target.top - box.top - (box.height - target.height) / 2;
  }
  function all() {
    document.querySelectorAll('.diagram-region').forEach(centre);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
})();
