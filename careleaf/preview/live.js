/* careleaf serve: reload the page when the preview has been built again, and keep
   the place on the page. Only the preview server adds this script to a page; the
   published pages have none. Without JavaScript, reload the page yourself. */
(function () {
  "use strict";
  var bar = document.querySelector(".careleaf-preview");
  if (!bar || !window.EventSource) {
    return;
  }
  var seen = bar.getAttribute("data-generation");
  var status = bar.querySelector(".careleaf-preview-status");
  var key = "careleaf-preview-place";
  var place = window.sessionStorage.getItem(key);
  if (place) {
    window.sessionStorage.removeItem(key);
    var parts = place.split("|");
    if (parts[1] === window.location.pathname) {
      window.scrollTo(0, Number(parts[0]) || 0);
    }
  }
  var events = new EventSource("/_careleaf/events");
  events.addEventListener("building", function (event) {
    if (status) {
      status.textContent = event.data;
    }
  });
  events.addEventListener("built", function (event) {
    if (event.data !== seen) {
      window.sessionStorage.setItem(key, String(window.scrollY) + "|" + window.location.pathname);
      events.close();
      window.location.reload();
    }
  });
})();
