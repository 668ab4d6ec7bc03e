// Selects with data-remote="<url>": tom-select asks the URL (?q=) as the user types.
document.querySelectorAll("select[data-remote]").forEach(function (el) {
  new TomSelect(el, {
    valueField: "value",
    labelField: "text",
    searchField: ["text"],
    maxOptions: 20,
    loadThrottle: 300,
    shouldLoad: function (q) { return q.length >= 2; },
    load: function (q, done) {
      fetch(el.dataset.remote + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { done(data.results); })
        .catch(function () { done(); });
    },
    render: { no_results: function () { return '<div class="no-results">没有找到，请换个名称</div>'; } },
  });
});
