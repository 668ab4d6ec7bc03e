// Searchable selects (tom-select) for every <select data-search>; re-run after htmx swaps.
function djEnhance(root) {
  root.querySelectorAll("select[data-search]:not(.tomselected)").forEach(function (el) {
    new TomSelect(el, { maxOptions: 200, allowEmptyOption: true });
  });
}
document.addEventListener("DOMContentLoaded", function () { djEnhance(document); });
document.body.addEventListener("htmx:afterSwap", function (e) { djEnhance(e.target); });
