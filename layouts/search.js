/* careleaf: the index page's search box. It shows only the articles that have every
   word typed (or a word that starts with it), from the words search-index.js lists
   for each article: title, summary, topics and text. Nothing is sent anywhere; it
   works from a disk too. Without JavaScript the box stays hidden and the page lists
   every article. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var data = window.careleafSearch;
  if (!form || !Array.isArray(data)) {
    return;
  }
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector(".search-status");
  var items = document.querySelectorAll(".article-list > li[data-slug]");
  var words = {};
  var timer = null;

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function split(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  data.forEach(function (article) {
    words[article.slug] = article.words.split(" ");
  });

  function matches(slug, query) {
    var own = words[slug] || [];
    return query.every(function (wanted) {
      return own.some(function (word) {
        return word.indexOf(wanted) === 0;
      });
    });
  }

  function search() {
    var query = split(input.value);
    var shown = 0;
    items.forEach(function (item) {
      var hit = query.length === 0 || matches(item.getAttribute("data-slug"), query);
      item.hidden = !hit;
      shown += hit ? 1 : 0;
    });
    if (query.length === 0) {
      status.textContent = "";
    } else if (shown === 0) {
      status.textContent = form.getAttribute("data-none");
    } else {
      status.textContent = form.getAttribute("data-found").replace("{count}", String(shown));
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
  form.hidden = false;
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) {
    input.value = given;
    search();
  }
})();
