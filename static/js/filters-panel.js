/* The filters of a list page (<details data-filters-panel>): folded on small
 * screens so the results come first, always open on wide screens where they sit
 * beside the results (their summary is then hidden by portal.css). Without this
 * script the panel is an ordinary <details> that opens with its summary.
 */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 992px)");
  var panels = document.querySelectorAll("details[data-filters-panel]");

  function apply() {
    for (var i = 0; i < panels.length; i++) {
      panels[i].classList.toggle("portal-filters--wide", WIDE.matches);
      panels[i].open = WIDE.matches;
    }
  }

  if (!panels.length) return;
  apply();
  if (WIDE.addEventListener) WIDE.addEventListener("change", apply);
})();
